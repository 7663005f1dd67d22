package io.kaapana.workflow.service.rest;

import io.kaapana.workflow.service.persistence.PageRequest;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Page size, cursor and sort order of the listings paged by (sort key, id). */
public class PageParams extends SeqPageParams {
  @Parameter(description = "Sort key: created_at (default), updated_at, or title for workflows")
  @QueryParam("order_by")
  String orderBy;

  @Parameter(
      description = "Sort direction; desc by default (task runs: asc)",
      schema = @Schema(enumeration = {"asc", "desc"}))
  @QueryParam("order")
  String order;

  @Parameter(
      description = "Add total to the page",
      schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
  @QueryParam("include_total")
  String includeTotal;

  PageRequest toRequest(List<String> allowedOrderBy, String defaultOrder) {
    return PageRequest.parse(
        limit,
        pageToken,
        orderBy,
        order == null ? defaultOrder : order,
        includeTotal,
        allowedOrderBy);
  }
}
