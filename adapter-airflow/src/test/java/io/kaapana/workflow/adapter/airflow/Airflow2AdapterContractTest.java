package io.kaapana.workflow.adapter.airflow;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TCK against a real Airflow 2, speaking REST API v1. */
class Airflow2AdapterContractTest extends AirflowAdapterContractTest {

  @BeforeAll
  static void forgetEarlierExchanges() throws IOException {
    Files.deleteIfExists(exchangeLog(2));
  }

  @AfterAll
  static void everyExchangeMatchesTheOpenApiDocument() throws IOException {
    assertExchangesMatchOpenApi(2, exchangeLog(2));
  }

  @Override
  int major() {
    return 2;
  }
}
