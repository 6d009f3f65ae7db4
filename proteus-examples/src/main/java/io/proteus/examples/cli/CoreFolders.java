package io.proteus.examples.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The core's folders: the inbox, the outbox (default: {@code outbox} beside the inbox) and the
 * storage (default: {@code storage} beside the inbox).
 *
 * @param inbox where builds are dropped; empty with {@code --run}
 * @param outbox where reports go
 * @param storage where fetched builds are kept while they run
 */
record CoreFolders(Path inbox, Path outbox, Path storage) {
  static CoreFolders of(LauncherConfig config) throws ConfigException {
    Optional<Path> inbox = config.path("core.inbox").map(Path::toAbsolutePath);
    Path base = inbox.isPresent() ? inbox.get().getParent() : Path.of(".").toAbsolutePath();
    if (base == null) {
      throw new ConfigException("core.inbox cannot be the root folder");
    }
    String host = config.string("artifacts.host");
    if ((host.equals("0.0.0.0") || host.equals("::"))
        && config.optionalString("artifacts.advertisedHost").isEmpty()) {
      throw new ConfigException(
          "artifacts.host "
              + host
              + " listens on every address: set artifacts.advertisedHost to the name agents reach"
              + " this machine by");
    }
    return new CoreFolders(
        inbox.orElse(base.resolve("inbox")),
        config.path("core.outbox").orElse(base.resolve("outbox")),
        config.path("core.storage").orElse(base.resolve("storage")));
  }
}
