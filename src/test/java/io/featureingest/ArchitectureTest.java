package io.featureingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md's package rules, checked on the compiled main classes. Data flows spec → source /
 * offline → rows → online / join → job → cli; in code, spec depends on nothing of the project, rows
 * on spec only, join on spec and rows, the readers and stores never on the pipelines that use them,
 * only {@code job} names a concrete store, and no two packages depend on each other.
 */
@AnalyzeClasses(packages = "io.featureingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  // Before the rules: static fields initialise in order.
  private static final String[] JDK_AND_LOGGING = {"java..", "javax..", "org.slf4j.."};
  private static final String[] PROJECT_PACKAGES = {
    "cli",
    "job",
    "registry",
    "spec",
    "source",
    "offline",
    "rows",
    "ingest",
    "online",
    "join",
    "stream",
    "serve",
    "metrics"
  };

  @ArchTest
  static final ArchRule specIsPlainJava =
      classes()
          .that()
          .resideInAPackage("io.featureingest.spec..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              concat(JDK_AND_LOGGING, "io.featureingest.spec..", "com.typesafe.config.."))
          .because("spec holds the immutable records and their parsing: no Spark, no project code");

  @ArchTest
  static final ArchRule rowsUseOnlySpec =
      noClasses()
          .that()
          .resideInAPackage("io.featureingest.rows..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(projectPackagesExcept("spec", "rows"))
          .because("the row contract is pure Spark steps over the spec");

  @ArchTest
  static final ArchRule joinUsesOnlySpecAndRows =
      noClasses()
          .that()
          .resideInAPackage("io.featureingest.join..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(projectPackagesExcept("spec", "rows", "join"))
          .because("the point-in-time join is a pure function of table frames");

  @ArchTest
  static final ArchRule readersAndStoresKnowNoPipeline =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.featureingest.source..",
              "io.featureingest.offline..",
              "io.featureingest.online..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.featureingest.ingest..",
              "io.featureingest.stream..",
              "io.featureingest.join..",
              "io.featureingest.job..",
              "io.featureingest.cli..")
          .because("sources and stores are used by the pipelines, never the other way round");

  @ArchTest
  static final ArchRule serveHasNoSpark =
      noClasses()
          .that()
          .resideInAPackage("io.featureingest.serve..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..", "scala..")
          .allowEmptyShould(true)
          .because("the feature server starts without Spark");

  @ArchTest
  static final ArchRule ingestKnowsNoStorageFormat =
      noClasses()
          .that()
          .resideInAPackage("io.featureingest.ingest..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.delta..", "org.apache.parquet..", "org.apache.hadoop.fs..")
          .because("storage formats live behind offline.OfflineStore");

  @ArchTest static final ArchRule onlyJobPicksRedis = onlyJobUses("online.redis");

  @ArchTest static final ArchRule onlyJobPicksSqlite = onlyJobUses("online.sqlite");

  @ArchTest
  static final ArchRule onlyJobPicksAnOfflineStore =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.featureingest.offline..", "io.featureingest.job..")
          .should()
          .dependOnClassesThat(
              JavaClass.Predicates.resideInAPackage("io.featureingest.offline..")
                  .and(JavaClass.Predicates.simpleNameEndingWith("Store"))
                  .and(DescribedPredicate.not(JavaClass.Predicates.simpleName("OfflineStore"))))
          .because("only job chooses concrete stores (DESIGN.md); the rest sees OfflineStore");

  @ArchTest
  static final ArchRule cliOnlyRunsJobs =
      noClasses()
          .that()
          .resideInAPackage("io.featureingest.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(projectPackagesExcept("cli", "job", "spec"))
          .because("Main picks the command and maps exit codes; the work is in job");

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("io.featureingest.(*)..").should().beFreeOfCycles();

  /** A concrete store's package is used by itself and by job's factory only. */
  private static ArchRule onlyJobUses(String storePackage) {
    String store = "io.featureingest." + storePackage + "..";
    return noClasses()
        .that()
        .resideOutsideOfPackages(store, "io.featureingest.job..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(store)
        .allowEmptyShould(true)
        .because("only job chooses concrete stores (DESIGN.md); the rest sees the interface");
  }

  private static String[] projectPackagesExcept(String... allowed) {
    var allowedSet = java.util.Set.of(allowed);
    return java.util.Arrays.stream(PROJECT_PACKAGES)
        .filter(p -> !allowedSet.contains(p))
        .map(p -> "io.featureingest." + p + "..")
        .toArray(String[]::new);
  }

  private static String[] concat(String[] first, String... rest) {
    String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }
}
