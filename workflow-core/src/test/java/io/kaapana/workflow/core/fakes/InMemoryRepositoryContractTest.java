package io.kaapana.workflow.core.fakes;

import io.kaapana.workflow.core.port.out.RunRepository;
import io.kaapana.workflow.core.port.out.WorkflowRepository;

class InMemoryRepositoryContractTest extends RepositoryContract {
  private final InMemoryWorkflowRepository workflows = new InMemoryWorkflowRepository();
  private final InMemoryRunRepository runs = new InMemoryRunRepository();

  @Override
  protected WorkflowRepository workflows() {
    return workflows;
  }

  @Override
  protected RunRepository runs() {
    return runs;
  }
}
