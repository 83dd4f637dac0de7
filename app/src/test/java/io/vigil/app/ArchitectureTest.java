package io.vigil.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layout as rules over the compiled classes of every module: the plugin API knows nothing of ours, the
 * connectors know only the API, each module knows only the ones below it, only the application sees everything, and
 * no package depends on itself through others.
 */
class ArchitectureTest {
  private static JavaClasses vigil;

  @BeforeAll
  static void importClasses() {
    // the modules' main classes only: test classes arrive as test-classes folders or, after packaging, as test-jars
    vigil = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
        .importPackages("io.vigil");
  }

  @Test
  void thePluginApiDependsOnNothingElseOfOurs() {
    noClasses().that().resideInAPackage("io.vigil.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.engine..", "io.vigil.scheduler..",
            "io.vigil.server..", "io.vigil.app..", "io.vigil.cli..", "io.vigil.jira..", "io.vigil.keycloak..",
            "io.vigil.sandbox..")
        .check(vigil);
  }

  @Test
  void connectorsDependOnThePluginApiOnly() {
    noClasses().that().resideInAnyPackage("io.vigil.jira..", "io.vigil.keycloak..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.engine..", "io.vigil.scheduler..",
            "io.vigil.server..", "io.vigil.app..", "io.vigil.cli..", "io.vigil.sandbox..")
        .check(vigil);
    noClasses().that().resideInAPackage("io.vigil.jira..").should().dependOnClassesThat()
        .resideInAPackage("io.vigil.keycloak..").check(vigil);
    noClasses().that().resideInAPackage("io.vigil.keycloak..").should().dependOnClassesThat()
        .resideInAPackage("io.vigil.jira..").check(vigil);
  }

  @Test
  void theSandboxSpeaksJsonAndKnowsNothingOfOurs() {
    noClasses().that().resideInAPackage("io.vigil.sandbox..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.core..", "io.vigil.engine..",
            "io.vigil.jira..", "io.vigil.keycloak..", "io.vigil.scheduler..", "io.vigil.server..", "io.vigil.app..",
            "io.vigil.cli..")
        .check(vigil);
  }

  @Test
  void eachModuleKnowsOnlyTheOnesBelowIt() {
    noClasses().that().resideInAPackage("io.vigil.engine..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.scheduler..", "io.vigil.server..",
            "io.vigil.app..", "io.vigil.cli..", "io.vigil.jira..", "io.vigil.keycloak..", "io.vigil.sandbox..")
        .check(vigil);
    noClasses().that().resideInAPackage("io.vigil.scheduler..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.server..", "io.vigil.app..", "io.vigil.cli..",
            "io.vigil.jira..", "io.vigil.keycloak..", "io.vigil.sandbox..")
        .check(vigil);
    noClasses().that().resideInAPackage("io.vigil.server..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vigil.app..", "io.vigil.cli..", "io.vigil.jira..",
            "io.vigil.keycloak..", "io.vigil.sandbox..")
        .check(vigil);
  }

  @Test
  void onlyTheEngineReachesIntoItsInternals() {
    noClasses().that().resideOutsideOfPackage("io.vigil.engine..")
        .should().dependOnClassesThat().resideInAPackage("io.vigil.engine.internal..")
        .check(vigil);
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().matching("io.vigil.(**)").should().beFreeOfCycles().check(vigil);
  }
}
