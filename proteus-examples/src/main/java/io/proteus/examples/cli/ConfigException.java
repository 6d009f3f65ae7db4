package io.proteus.examples.cli;

/** The launcher's configuration is wrong; the message names the key and where it was set. */
final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
