package io.featureingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.featureingest.cli.Main;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command line in jobs/ (Airflow DAG, Dataproc workflow template, EMR steps) goes through the
 * jar's own parser, and names the real main class and jar, so the files cannot drift from the code.
 */
class JobFilesTest {
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|([A-Z_]+)");

  private static File jobs() {
    return new File(System.getProperty("featureingest.projectDir", "."), "jobs");
  }

  /** Parses without running: a ParameterException here is a broken command line in a file. */
  static void assertParses(String where, List<String> args) {
    CommandLine cli = new CommandLine(new FeatureIngestCommand());
    CommandLine.ParseResult result = cli.parseArgs(args.toArray(String[]::new));
    assertThat(result.subcommand()).as(where + ": " + args).isNotNull();
  }

  @Test
  void airflowDagCommandLinesParse() throws IOException {
    String dag = Files.readString(new File(jobs(), "airflow/feature_ingest_dag.py").toPath());
    Map<String, String> constants = new java.util.HashMap<>();
    Matcher constant = Pattern.compile("(?m)^([A-Z_]+) = \"([^\"]*)\"$").matcher(dag);
    while (constant.find()) {
      constants.put(constant.group(1), constant.group(2));
    }
    assertThat(constants)
        .containsEntry("MAIN_CLASS", Main.class.getName())
        .containsEntry("JAR", "feature-ingest.jar");
    Matcher lists = Pattern.compile("(?s)([A-Z_]+_ARGS) = \\[(.*?)\\n\\]").matcher(dag);
    int found = 0;
    while (lists.find()) {
      List<String> args = new ArrayList<>();
      Matcher token = STRING.matcher(lists.group(2));
      while (token.find()) {
        args.add(token.group(1) != null ? token.group(1) : constants.get(token.group(2)));
      }
      assertParses("airflow " + lists.group(1), args);
      found++;
    }
    assertThat(found).isEqualTo(2);
    for (String operator :
        List.of("SparkSubmitOperator(", "DataprocSubmitJobOperator(", "EmrAddStepsOperator(")) {
      assertThat(dag).contains(operator);
    }
  }

  @Test
  void dataprocTemplateCommandLinesParse() throws IOException {
    String yaml = Files.readString(new File(jobs(), "dataproc/workflow-template.yaml").toPath());
    assertThat(yaml).contains("mainClass: " + Main.class.getName()).contains("feature-ingest.jar");
    Matcher args = Pattern.compile("args: \\[(.*)]").matcher(yaml);
    int found = 0;
    while (args.find()) {
      List<String> list = new ArrayList<>();
      Matcher token = Pattern.compile("\"([^\"]*)\"").matcher(args.group(1));
      while (token.find()) {
        list.add(token.group(1));
      }
      assertParses("dataproc", list);
      found++;
    }
    assertThat(found).isEqualTo(2);
  }

  @Test
  void emrStepsCommandLinesParse() throws IOException {
    String json = Files.readString(new File(jobs(), "emr/steps.json").toPath());
    Config steps = ConfigFactory.parseString("{ \"steps\": " + json + " }");
    int found = 0;
    for (Config step : steps.getConfigList("steps")) {
      List<String> args = step.getStringList("HadoopJarStep.Args");
      assertThat(args.get(args.indexOf("--class") + 1)).isEqualTo(Main.class.getName());
      int jar = -1;
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).endsWith("/feature-ingest.jar")) {
          jar = i;
        }
      }
      assertThat(jar).as("the jar in " + args).isPositive();
      assertParses("emr " + step.getString("Name"), args.subList(jar + 1, args.size()));
      found++;
    }
    assertThat(found).isEqualTo(2);
  }

  @Test
  void aBrokenCommandLineIsCaught() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> assertParses("broken", List.of("ingest", "driver_trips", "--inptu", "x")))
        .isInstanceOf(CommandLine.ParameterException.class);
  }
}
