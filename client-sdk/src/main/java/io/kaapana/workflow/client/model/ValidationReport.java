package io.kaapana.workflow.client.model;

import java.util.List;

/** An adapter's verdict on a revision. */
public record ValidationReport(
    ValidationStatus status,
    List<String> messages,
    List<Task> tasks,
    String engineRef,
    String adapterId) {}
