package io.kaapana.workflow.client.model;

import java.util.List;

/**
 * One page of a list: its items, the token of the next page (null on the last page), and the total
 * when it was asked for.
 */
public record Page<T>(List<T> items, String nextPageToken, Long total) {}
