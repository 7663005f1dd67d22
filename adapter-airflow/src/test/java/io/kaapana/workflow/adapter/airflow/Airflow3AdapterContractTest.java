package io.kaapana.workflow.adapter.airflow;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The TCK against a real Airflow 3, speaking REST API v2. */
class Airflow3AdapterContractTest extends AirflowAdapterContractTest {

  @BeforeAll
  static void forgetEarlierExchanges() throws IOException {
    Files.deleteIfExists(exchangeLog(3));
  }

  @AfterAll
  static void everyExchangeMatchesTheOpenApiDocument() throws IOException {
    assertExchangesMatchOpenApi(3, exchangeLog(3));
  }

  @Override
  int major() {
    return 3;
  }
}
