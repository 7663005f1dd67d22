package io.kaapana.workflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaapana.workflow.core.fakes.Fakes;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A verified token is known until it expires, and no more than the bound are kept. */
class VerifiedTokensTest {
  private final Fakes.MutableClock clock = new Fakes.MutableClock();

  private long inSeconds(long seconds) {
    return clock.instant().getEpochSecond() + seconds;
  }

  private static SecurityIdentity identity(String name) {
    return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name)).build();
  }

  @Test
  void aTokenIsKnownUntilItExpiresAndOnlyAsAWholeBearerToken() {
    VerifiedTokens tokens =
        new VerifiedTokens(DefaultAuthSettings.with("https://idp/realms/k", null), clock);
    long exp = inSeconds(60);
    tokens.remember("aaa.bbb.ccc", identity("alice"), exp);

    assertThat(tokens.known("Bearer aaa.bbb.ccc").getPrincipal().getName()).isEqualTo("alice");
    assertThat(tokens.known("bearer aaa.bbb.ccc")).isNotNull();
    assertThat(tokens.known("Bearer aaa.bbb.cc")).isNull();
    assertThat(tokens.known("Basic aaa.bbb.ccc")).isNull();
    assertThat(tokens.known(null)).isNull();

    clock.advance(Duration.ofSeconds(60));
    assertThat(tokens.known("Bearer aaa.bbb.ccc")).as("expired").isNull();
    assertThat(tokens.size()).isZero();
  }

  @Test
  void atMostTheBoundAreKeptAndExpiredOnesMakeRoom() {
    VerifiedTokens tokens =
        new VerifiedTokens(DefaultAuthSettings.with("https://idp/realms/k", null), clock);
    long soon = inSeconds(10);
    for (int i = 0; i < VerifiedTokens.MAX; i++) {
      tokens.remember("t" + i, identity("u" + i), soon);
    }
    tokens.remember("one-more", identity("late"), soon + 100);
    assertThat(tokens.size()).isEqualTo(VerifiedTokens.MAX);
    assertThat(tokens.known("Bearer one-more")).as("full of live tokens").isNull();

    clock.advance(Duration.ofSeconds(10));
    tokens.remember("one-more", identity("late"), inSeconds(100));
    assertThat(tokens.size()).isEqualTo(1);
    assertThat(tokens.known("Bearer one-more")).isNotNull();
  }

  @Test
  void withoutAnIssuerNothingIsRemembered() {
    VerifiedTokens tokens = new VerifiedTokens(DefaultAuthSettings.with(null, null), clock);
    tokens.remember("aaa", identity("x"), inSeconds(60));
    assertThat(tokens.known("Bearer aaa")).isNull();
  }
}
