package io.proteus.examples.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules, checked on the compiled classes of every module: the API depends on no
 * implementation, no public API type shows an internal type, examples use the public API, and
 * libraries never print.
 */
class ModuleRulesTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.proteus");
  }

  @Test
  void theApiDependsOnNoImplementation() {
    noClasses()
        .that()
        .resideInAnyPackage("io.proteus", "io.proteus.model..", "io.proteus.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.proteus.core..",
            "io.proteus.docker..",
            "io.proteus.testkit..",
            "io.proteus.examples..")
        .check(classes);
  }

  @Test
  void noPublicApiMethodShowsAnInternalType() {
    noMethods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackages("..internal..")
        .should()
        .haveRawReturnType(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "an internal type", c -> c.getPackageName().contains(".internal")))
        .orShould()
        .haveRawParameterTypes(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "an internal type",
                (java.util.List<com.tngtech.archunit.core.domain.JavaClass> ps) ->
                    ps.stream().anyMatch(p -> p.getPackageName().contains(".internal"))))
        .check(classes);
  }

  @Test
  void examplesOtherThanTheLauncherUseThePublicApiOnly() {
    noClasses()
        .that()
        .resideInAPackage("io.proteus.examples..")
        .and()
        .resideOutsideOfPackage("io.proteus.examples.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..internal..")
        .check(classes);
  }

  @Test
  void librariesNeverPrint() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.proteus.examples..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(classes);
  }

  @Test
  void typesMarkedDoNotImplementAreImplementedOnlyByProteus() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.proteus.core..", "io.proteus.testkit..")
        .should()
        .implement(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a type marked @DoNotImplement",
                c -> c.isAnnotatedWith(io.proteus.DoNotImplement.class)))
        .check(classes);
  }
}
