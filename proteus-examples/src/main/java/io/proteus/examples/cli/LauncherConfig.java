package io.proteus.examples.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of {@code proteus core} and {@code proteus worker}, from four layers, each over
 * the one before: the defaults, the YAML file, the environment ({@code PROTEUS_MQTT_HOST} for
 * {@code mqtt.host}) and the command line ({@code --set mqtt.host=...}). Every value is checked as
 * it is loaded: an unknown key, a value of the wrong type or out of range, or a required key
 * missing is a {@link ConfigException} naming the key and where it was set. Secrets never appear in
 * a message.
 */
final class LauncherConfig {
  private record Value(Object parsed, String where) {}

  private final Map<String, Value> values;

  private LauncherConfig(Map<String, Value> values) {
    this.values = values;
  }

  /**
   * Loads and checks the layers; {@code sections} are the sections whose required keys must be set.
   */
  static LauncherConfig load(
      @Nullable Path file, Map<String, String> env, List<String> sets, String... sections)
      throws ConfigException {
    Map<String, Value> values = new LinkedHashMap<>();
    if (file != null) {
      for (Map.Entry<String, YamlConfigFile.Entry> e : YamlConfigFile.read(file).entrySet()) {
        String where = e.getValue().where();
        ConfigKey key = known(e.getKey(), where);
        values.put(key.name(), new Value(parse(key, e.getValue().value(), where), where));
      }
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      Optional<ConfigKey> key = ConfigKeys.byEnv(e.getKey());
      String where = "the environment variable " + e.getKey();
      if (key.isPresent()) {
        values.put(key.get().name(), new Value(parse(key.get(), e.getValue(), where), where));
      } else if (ConfigKeys.SECTIONS.stream()
          .anyMatch(s -> e.getKey().startsWith(ConfigKey.env(s) + "_"))) {
        throw new ConfigException(
            where + " names no key (see docs/distributed.md for the keys and their variables)");
      }
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq < 1) {
        throw new ConfigException("--set " + set + ": give KEY=VALUE, such as mqtt.port=1883");
      }
      String where = "--set " + set.substring(0, eq);
      ConfigKey key = known(set.substring(0, eq), where);
      values.put(key.name(), new Value(parse(key, set.substring(eq + 1), where), where));
    }
    for (ConfigKey k : ConfigKeys.all()) {
      if (!values.containsKey(k.name()) && k.defaultValue().isPresent()) {
        values.put(k.name(), new Value(parse(k, k.defaultValue().get(), "the default"), "default"));
      }
    }
    for (String section : sections) {
      for (ConfigKey k : ConfigKeys.all()) {
        if (k.required() && k.name().startsWith(section + ".") && !values.containsKey(k.name())) {
          throw new ConfigException(
              "the required key "
                  + k.name()
                  + " is missing: set it in the config file, as "
                  + k.env()
                  + " or with --set "
                  + k.name()
                  + "=...");
        }
      }
    }
    return new LauncherConfig(values);
  }

  private static ConfigKey known(String name, String where) throws ConfigException {
    Optional<ConfigKey> key = ConfigKeys.named(name);
    if (key.isEmpty()) {
      throw new ConfigException(
          where + ": unknown key " + name + " (see docs/distributed.md for the keys)");
    }
    return key.get();
  }

  private static Object parse(ConfigKey key, Object raw, String where) throws ConfigException {
    if (raw instanceof List<?> list) {
      if (key.type() != ConfigType.LIST) {
        throw bad(key, where, "a list");
      }
      return list.stream().map(String::valueOf).toList();
    }
    String text = String.valueOf(raw);
    try {
      return key.type().parse(text);
    } catch (IllegalArgumentException e) {
      throw bad(key, where, "'" + text + "'");
    }
  }

  private static ConfigException bad(ConfigKey key, String where, String given) {
    return new ConfigException(
        where
            + ": "
            + key.name()
            + " must be "
            + key.type().expected()
            + (key.secret() ? "" : ", not " + given));
  }

  /** The value of {@code key}, if set or defaulted. */
  <T> Optional<T> get(String key, Class<T> type) {
    if (ConfigKeys.named(key).isEmpty()) {
      throw new IllegalArgumentException("no such key: " + key);
    }
    Value v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(type.cast(v.parsed()));
  }

  /** The text of {@code key}, which has a default or is required. */
  String string(String key) {
    return get(key, String.class).orElseThrow();
  }

  /** The text of {@code key}, if set. */
  Optional<String> optionalString(String key) {
    return get(key, String.class);
  }

  /** The number of {@code key}, which has a default. */
  int integer(String key) {
    return get(key, Integer.class).orElseThrow();
  }

  /** The size in bytes of {@code key}, which has a default. */
  long size(String key) {
    return get(key, Long.class).orElseThrow();
  }

  /** The duration of {@code key}, which has a default. */
  Duration duration(String key) {
    return get(key, Duration.class).orElseThrow();
  }

  /** The flag of {@code key}, which has a default. */
  boolean flag(String key) {
    return get(key, Boolean.class).orElseThrow();
  }

  /** The path of {@code key}, if set. */
  Optional<Path> path(String key) {
    return get(key, Path.class);
  }

  /** The list of {@code key}, which has a default. */
  List<String> list(String key) {
    List<?> items = get(key, List.class).orElseThrow();
    return items.stream().map(String::valueOf).toList();
  }

  /** Where {@code key}'s value came from: a file and line, a variable, an option or "default". */
  String where(String key) {
    Value v = values.get(key);
    return v == null ? "unset" : v.where();
  }
}
