package io.kaapana.workflow.service.streams;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of the live streams (events and log follows); documented in docs/operations.md. */
@ConfigMapping(prefix = "kaapana.streams")
public interface StreamSettings {
  /** Open event streams and log follows per service instance; one more is answered 429. */
  @WithDefault("2500")
  int maxConcurrent();

  /** Recent events kept in memory for the streams, at most this many ... */
  @WithDefault("10000")
  int windowEvents();

  /** ... and at most about this many bytes. */
  @WithDefault("16777216")
  long windowBytes();

  /** Streams reading older events from the database at one time (each holds one page). */
  @WithDefault("16")
  int catchUpReaders();

  /** A comment frame after this much silence keeps proxies from closing the connection. */
  @WithDefault("15s")
  Duration keepAlive();

  /** A client that has not taken a frame for this long is disconnected; it resumes later. */
  @WithDefault("60s")
  Duration stallTimeout();
}
