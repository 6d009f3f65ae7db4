package io.proteus.docker;

/**
 * Credentials for one registry, used when pulling. {@link #toString()} never shows the password.
 *
 * @param registry the registry's host, such as {@code registry.example.com:5000}
 * @param username the user
 * @param password the password or token
 */
public record RegistryCredentials(String registry, String username, String password) {
  @Override
  public String toString() {
    return "RegistryCredentials[" + registry + ", " + username + ", ****]";
  }
}
