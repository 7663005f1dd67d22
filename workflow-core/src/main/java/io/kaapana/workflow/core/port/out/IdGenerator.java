package io.kaapana.workflow.core.port.out;

import java.util.UUID;

/** New identifiers; runs use time-ordered ids so that ids sort by creation. */
public interface IdGenerator {
  UUID newId();
}
