package io.kaapana.workflow.quickstart;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The console's scenarios in Debian's headless Chromium. */
@QuarkusTest
@TestProfile(QuickstartTest.EmbeddedAdapterOn.class)
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleChromiumTest extends ConsoleBrowserScenarios {
  @Override
  Browser.Kind kind() {
    return Browser.Kind.CHROMIUM;
  }
}
