package io.kaapana.workflow.service.rest.dto;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of events in sequence order. */
@Schema(name = "EventPage")
public record EventPage(List<EventDto> items, String nextPageToken) {}
