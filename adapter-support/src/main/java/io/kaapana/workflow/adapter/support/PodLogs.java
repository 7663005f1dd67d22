package io.kaapana.workflow.adapter.support;

import io.kaapana.workflow.adapter.spi.AdapterException;
import io.kaapana.workflow.adapter.spi.AdapterException.ErrorCode;
import io.kaapana.workflow.adapter.spi.LogPage.LogLine;
import io.kaapana.workflow.adapter.spi.LogPage.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pod logs as adapters on Kubernetes engines read them (Argo, Kubeflow Pipelines on Argo): lines
 * with Kubernetes' RFC 3339 timestamps as Kaapana log lines, the cursor (lines handed out, bound to
 * one attempt), and Argo's pod names.
 */
public final class PodLogs {

  private static final Pattern TIMESTAMPED = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\S+Z) (.*)$");
  private static final Pattern CURSOR = Pattern.compile("a(\\d+)s(\\d+)");

  private PodLogs() {}

  public static LogLine line(String content, String pod) {
    Matcher timestamped = TIMESTAMPED.matcher(content);
    Instant time = Instant.EPOCH;
    String message = content;
    if (timestamped.matches()) {
      try {
        time = Instant.parse(timestamped.group(1));
        message = timestamped.group(2);
      } catch (DateTimeParseException e) {
        // not a timestamp after all: the whole line is the message
      }
    }
    return new LogLine(time, Severity.INFO, message, Map.of("pod", pod));
  }

  public static List<LogLine> lines(String text, String pod) {
    List<LogLine> lines = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      if (!raw.isEmpty()) {
        lines.add(line(raw, pod));
      }
    }
    return lines;
  }

  public static String encodeCursor(int attempt, int linesHandedOut) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("a" + attempt + "s" + linesHandedOut).getBytes(StandardCharsets.UTF_8));
  }

  /** The lines handed out before, from a cursor of this attempt; 0 without a cursor. */
  public static int decodeCursor(String cursor, int attempt) throws AdapterException {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      Matcher m =
          CURSOR.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
      if (m.matches() && Integer.parseInt(m.group(1)) == attempt) {
        return Integer.parseInt(m.group(2));
      }
    } catch (IllegalArgumentException e) {
      // reported below (NumberFormatException is one too)
    }
    throw new AdapterException(
        ErrorCode.INVALID_REQUEST,
        "the cursor was not handed out by this adapter for this attempt");
  }

  /**
   * The pod of an Argo node under Argo's default pod naming (v2, {@code
   * workflow/util/pod_name.go}): the workflow's name for a workflow of one node, else {@code
   * <workflow>-<template>-<fnv32a of the node name>} with the prefix cut to fit Kubernetes' 253
   * characters.
   */
  public static String argoPodName(String workflowName, String templateName, String nodeName) {
    if (workflowName.equals(nodeName)) {
      return workflowName;
    }
    String prefix = workflowName + "-" + templateName;
    int maxPrefix = 253 - 10 - 1; // the name limit, the hash's 10 digits, the dash before it
    if (prefix.length() > maxPrefix) {
      prefix = prefix.substring(0, maxPrefix);
    }
    return prefix + "-" + Integer.toUnsignedString(fnv32a(nodeName));
  }

  /** The 32-bit FNV-1a hash Argo uses for pod names and node ids. */
  public static int fnv32a(String text) {
    int hash = 0x811c9dc5;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }
}
