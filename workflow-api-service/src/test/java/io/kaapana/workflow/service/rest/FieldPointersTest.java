package io.kaapana.workflow.service.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.core.domain.FieldError;
import io.kaapana.workflow.core.domain.FieldPath;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPointersTest {

  @Test
  void domainFieldsTakeTheirWireNamesAndUserKeysStayAsWritten() {
    FieldPath path = FieldPath.of("taskRuns").index(3).field("leaseToken");
    assertThat(FieldPointers.pointer(path)).isEqualTo("/task_runs/3/lease_token");
    assertThat(FieldPointers.pointer(FieldPath.of("labels").key("kaapana.io/run~x")))
        .isEqualTo("/labels/kaapana.io~1run~0x");
    assertThat(FieldPointers.pointer(FieldPath.of("parameters").key("fastMode")))
        .isEqualTo("/parameters/fastMode");
    assertThat(FieldPointers.pointer(FieldPath.REQUEST)).isEmpty();
  }

  @Test
  void aMessageNamesItsFieldAsTheClientWroteIt() {
    FieldError error =
        new FieldError(
            FieldPath.of("taskRuns").index(0).field("taskTitle"),
            FieldError.FIELD + " must be at most 512 characters");
    assertThat(FieldPointers.message(error)).isEqualTo("task_title must be at most 512 characters");
    assertThat(FieldPointers.detail(error.message(), List.of(error)))
        .isEqualTo("task_title must be at most 512 characters");
    assertThat(FieldPointers.detail("2 problems in the request; see errors", List.of(error, error)))
        .isEqualTo("2 problems in the request; see errors");
  }
}
