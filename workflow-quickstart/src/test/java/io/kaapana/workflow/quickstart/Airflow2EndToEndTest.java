package io.kaapana.workflow.quickstart;

import io.kaapana.workflow.service.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The end-to-end suite against a real Airflow 2. */
@QuarkusTest
@WithTestResource(
    value = EmbeddedPostgresResource.class,
    scope = io.quarkus.test.common.TestResourceScope.GLOBAL)
class Airflow2EndToEndTest extends AirflowEndToEndTest {
  @Override
  int major() {
    return 2;
  }
}
