package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A verified token is known until it expires, and no more than the bound are kept. */
class VerifiedTokensTest {
  private Instant now = Instant.parse("2026-12-02T10:00:00Z");

  private final Clock clock =
      new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private static AuthSettings settings(String issuer) {
    return new AuthSettings(
        Optional.ofNullable(issuer),
        Optional.empty(),
        "workflow-api",
        Optional.empty(),
        "user",
        "adapter",
        "admin",
        "workflow-developer",
        "projects",
        "/projects/",
        "default");
  }

  private static SecurityIdentity identity(String name) {
    return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).build();
  }

  @Test
  void aTokenIsKnownUntilItExpiresAndOnlyAsAWholeBearerToken() {
    VerifiedTokens tokens = new VerifiedTokens(settings("https://idp/realms/k"), clock);
    long exp = now.getEpochSecond() + 60;
    tokens.remember("aaa.bbb.ccc", identity("alice"), exp);

    assertThat(tokens.known("Bearer aaa.bbb.ccc").getPrincipal().getName()).isEqualTo("alice");
    assertThat(tokens.known("bearer aaa.bbb.ccc")).isNotNull();
    assertThat(tokens.known("Bearer aaa.bbb.cc")).isNull();
    assertThat(tokens.known("Basic aaa.bbb.ccc")).isNull();
    assertThat(tokens.known(null)).isNull();

    now = now.plusSeconds(60);
    assertThat(tokens.known("Bearer aaa.bbb.ccc")).as("expired").isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void atMostTheBoundAreKeptAndExpiredOnesMakeRoom() {
    VerifiedTokens tokens = new VerifiedTokens(settings("https://idp/realms/k"), clock);
    long soon = now.getEpochSecond() + 10;
    for (int i = 0; i < VerifiedTokens.MAX; i++) {
      tokens.remember("t" + i, identity("u" + i), soon);
    }
    tokens.remember("one-more", identity("late"), soon + 100);
    assertThat(tokens.size()).isEqualTo(VerifiedTokens.MAX);
    assertThat(tokens.known("Bearer one-more")).as("full of live tokens").isNull();

    now = now.plusSeconds(10);
    tokens.remember("one-more", identity("late"), now.getEpochSecond() + 100);
    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.known("Bearer one-more")).isNotNull();
  }

  @Test
  void withoutAnIssuerNothingIsRemembered() {
    VerifiedTokens tokens = new VerifiedTokens(settings(null), clock);
    tokens.remember("aaa", identity("x"), now.getEpochSecond() + 60);
    assertThat(tokens.known("Bearer aaa")).isNull();
  }
}
