package io.kaapana.workflow.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core is plain Java: only the JDK, and the hexagon's dependency direction holds. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kaapana.workflow.core");

  @Test
  void coreDependsOnTheJdkOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.kaapana.workflow.core..", "java..")
        .because("workflow-core holds no Quarkus, Jakarta, Hibernate or Jackson types")
        .check(CORE);
  }

  @Test
  void theDomainKnowsNothingOfUseCasesOrPorts() {
    noClasses()
        .that()
        .resideInAPackage("..core.domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..core.application..", "..core.port..")
        .check(CORE);
  }

  @Test
  void portsDoNotDependOnTheApplication() {
    noClasses()
        .that()
        .resideInAPackage("..core.port..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..core.application..")
        .check(CORE);
  }
}
