package io.kaapana.workflow.service.rest.dto;

import io.kaapana.workflow.service.persistence.EventQueries.StoredEvent;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Event")
public record EventDto(
    long seq,
    String type,
    String objectType,
    String objectId,
    UUID workflowRunId,
    String from,
    String to,
    Map<String, Object> data,
    String actor,
    Instant createdAt) {
  public static EventDto of(StoredEvent e) {
    return new EventDto(
        e.seq(),
        e.type(),
        e.objectType(),
        e.objectId(),
        e.workflowRunId(),
        e.from(),
        e.to(),
        e.data(),
        e.actor(),
        e.createdAt());
  }
}
