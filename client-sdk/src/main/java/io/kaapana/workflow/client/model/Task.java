package io.kaapana.workflow.client.model;

import java.util.List;

/** One task of a revision's task graph. */
public record Task(String title, String displayName, String type, List<String> downstream) {}
