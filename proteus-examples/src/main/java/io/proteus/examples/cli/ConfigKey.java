package io.proteus.examples.cli;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One key of the launcher's configuration: its name ({@code mqtt.host}), its type, its default and
 * what it is for. Its environment variable is {@code PROTEUS_} and the name with dots as {@code _},
 * upper case ({@code PROTEUS_MQTT_HOST}).
 *
 * @param name the dotted name
 * @param type how its value is read
 * @param fallback the default as text, or null when there is none
 * @param required whether a command that reads it stops without it
 * @param help what it is for, for the docs
 */
record ConfigKey(
    String name, ConfigType type, @Nullable String fallback, boolean required, String help) {

  /** The key's environment variable. */
  String env() {
    return env(name);
  }

  /** The environment variable of the key {@code name}. */
  static String env(String name) {
    return "PROTEUS_" + name.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /** The default, if any. */
  Optional<String> defaultValue() {
    return Optional.ofNullable(fallback);
  }

  /** Whether its value is a secret, never printed. */
  boolean secret() {
    return type == ConfigType.SECRET;
  }
}
