package io.kaapana.workflow.core.domain;

/** The broad class of a failure; the service maps each kind to an HTTP status family. */
public enum ErrorKind {
  USER_ERROR,
  NOT_FOUND,
  CONFLICT,
  ENGINE,
  UNAVAILABLE,
  INTERNAL
}
