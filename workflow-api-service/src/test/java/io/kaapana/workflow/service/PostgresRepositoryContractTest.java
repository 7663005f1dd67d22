package io.kaapana.workflow.service;

import io.kaapana.workflow.core.fakes.RepositoryContract;
import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/** The repository contract of the core, against the PostgreSQL repositories. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class PostgresRepositoryContractTest extends RepositoryContract {
  @Inject WorkflowRepository workflows;
  @Inject RunRepository runs;

  @Override
  protected WorkflowRepository workflows() {
    return workflows;
  }

  @Override
  protected RunRepository runs() {
    return runs;
  }

  @Override
  protected <T> T tx(Supplier<T> work) {
    return QuarkusTransaction.requiringNew().call(work::get);
  }
}
