package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.persistence.PageRequest;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Page size and cursor: what every paged listing takes. */
public class SeqPageParams {
  @Parameter(
      description = "Page size",
      schema =
          @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
  @QueryParam("limit")
  String limit;

  @Parameter(description = "Opaque cursor from next_page_token")
  @QueryParam("page_token")
  String pageToken;

  int limit() {
    return Http.intInRange(limit, "limit", 1, PageRequest.MAX_LIMIT, PageRequest.DEFAULT_LIMIT);
  }
}
