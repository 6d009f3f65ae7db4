package io.proteus.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/** Reads the key and trust stores and the password file the configuration names. */
final class Stores {
  private Stores() {}

  /** The store at {@code key}'s path (PKCS12 or JKS), opened with the password at {@code pwKey}. */
  static Optional<KeyStore> load(LauncherConfig config, String key, String pwKey)
      throws ConfigException {
    Optional<Path> file = config.path(key);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    char[] password = config.optionalString(pwKey).orElse("").toCharArray();
    try {
      return Optional.of(KeyStore.getInstance(file.get().toFile(), password));
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          key
              + " ("
              + config.where(key)
              + "): cannot open "
              + file.get()
              + " with "
              + pwKey
              + ": "
              + e.getClass().getSimpleName());
    }
  }

  /** Trust managers for the trust store {@code key} names. */
  static Optional<TrustManagerFactory> trust(LauncherConfig config, String key, String pwKey)
      throws ConfigException {
    Optional<KeyStore> store = load(config, key, pwKey);
    if (store.isEmpty()) {
      return Optional.empty();
    }
    try {
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store.get());
      return Optional.of(f);
    } catch (GeneralSecurityException e) {
      throw new ConfigException(key + ": not a usable trust store: " + e.getMessage());
    }
  }

  /** The first line of the file {@code key} names, which must not be empty. */
  static String firstLine(LauncherConfig config, String key) throws ConfigException {
    Path file = config.path(key).orElseThrow();
    try {
      String line =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      if (line.isEmpty()) {
        throw new ConfigException(key + " (" + config.where(key) + "): " + file + " is empty");
      }
      return line;
    } catch (IOException e) {
      throw new ConfigException(
          key + " (" + config.where(key) + "): cannot read " + file + ": " + e.getMessage());
    }
  }
}
