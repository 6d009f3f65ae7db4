package io.proteus.examples.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of {@code proteus core} and {@code proteus worker} that say where their settings are.
 */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "A YAML file of settings (keys in docs/distributed.md). Environment variables"
              + " PROTEUS_<KEY> (dots as _, upper case: PROTEUS_MQTT_HOST) override it, and --set"
              + " overrides both.")
  @Nullable Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting, over the file and the environment (repeatable), such as --set"
              + " mqtt.port=1884.")
  List<String> sets = new ArrayList<>();

  /** The settings, checked, with {@code sections}' required keys. */
  LauncherConfig load(String... sections) throws ConfigException {
    return LauncherConfig.load(file, System.getenv(), sets, sections);
  }
}
