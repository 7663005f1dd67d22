package io.kaapana.workflow.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The service's layers: the web side (REST resources and their streams) drives the core through its
 * in-ports; everything below it knows nothing of the wire shapes.
 */
class ServiceArchitectureTest {
  private static final JavaClasses SERVICE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kaapana.workflow.service", "io.kaapana.workflow.core");

  @Test
  void nothingBelowTheWebSideUsesItsTypes() {
    noClasses()
        .that()
        .resideInAPackage("io.kaapana.workflow.service..")
        .and()
        .resideOutsideOfPackages("..service.rest..", "..service.streams..", "..service.console..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..service.rest..")
        .because("wire shapes (rest.dto) are the web side's; persistence and the rest keep theirs")
        .check(SERVICE);
  }

  @Test
  void theWebSideDrivesTheCoreThroughItsInPortsOnly() {
    noClasses()
        .that()
        .resideInAnyPackage("..service.rest..", "..service.streams..", "..service.console..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..core.application..", "..core.port.out..")
        .because("use cases are reached through core.port.in; their out-ports are theirs")
        .check(SERVICE);
  }

  @Test
  void onlyTheWiringKnowsTheUseCaseClasses() {
    noClasses()
        .that()
        .resideInAPackage("io.kaapana.workflow.service..")
        .and()
        .resideOutsideOfPackage("..service.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..core.application..")
        .check(SERVICE);
  }

  @Test
  void persistenceDoesNotReachUp() {
    noClasses()
        .that()
        .resideInAPackage("..service.persistence..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..service.rest..",
            "..service.streams..",
            "..service.claims..",
            "..service.maintenance..",
            "..service.admin..",
            "..core.application..")
        .check(SERVICE);
  }

  @Test
  void nothingScansTheClassPathAtRunTime() {
    noClasses()
        .that()
        .resideInAPackage("io.kaapana.workflow..")
        .should()
        .callMethod(java.util.ServiceLoader.class, "load", Class.class)
        .orShould()
        .callMethod(java.util.ServiceLoader.class, "load", Class.class, ClassLoader.class)
        .orShould()
        .callMethod(Class.class, "forName", String.class)
        .orShould()
        .callMethod(ClassLoader.class, "getResources", String.class)
        .because(
            "Quarkus finds beans and services at build time; a native image has no class path to"
                + " scan (docs/deployment.md, Native)")
        .check(SERVICE);
  }
}
