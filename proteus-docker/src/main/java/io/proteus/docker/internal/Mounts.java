package io.proteus.docker.internal;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.VolumeOptions;
import io.proteus.EngineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host folders mounted into a task's container {@code nosuid,nodev}, which a plain bind mount
 * cannot be: each becomes a volume of the daemon's {@code local} driver, removed with the task. A
 * writable folder is the upper layer of an overlay over an empty lower one (writes land in the
 * folder itself; the overlay's scratch folders lie beside it, private, and go with the task); a
 * read-only one is a bind the driver remounts {@code ro,nosuid,nodev}.
 */
public final class Mounts {
  private static final Logger log = LoggerFactory.getLogger(Mounts.class);

  /** The label that records a volume's scratch folder, so the reaper can delete it. */
  static final String SCRATCH = "io.proteus.scratch";

  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/@+-]*");
  private static final Pattern SCRATCH_NAME =
      Pattern.compile("\\.[A-Za-z0-9._@+-]+\\.proteus-mount-[0-9a-f]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Mounts() {}

  /** {@code folder} at {@code target}, writable, {@code nosuid,nodev}; released by {@code held}. */
  public static Mount writable(
      Daemon daemon, Path folder, String target, Map<String, String> labels, Releases held) {
    Path dir = checked(folder);
    String id = randomId();
    Path scratch = dir.resolveSibling("." + dir.getFileName() + ".proteus-mount-" + id);
    try {
      var privateDir =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      Files.createDirectory(scratch, privateDir);
      held.add("scratch folder " + scratch, () -> SafeTrees.delete(scratch));
      Files.createDirectory(scratch.resolve("lower"), privateDir);
      Files.createDirectory(scratch.resolve("work"), privateDir);
    } catch (IOException e) {
      throw new EngineException(
          "cannot make the overlay's scratch folder beside " + dir + ": " + e.getMessage(), e);
    }
    Map<String, String> options =
        Map.of(
            "type",
            "overlay",
            "device",
            "overlay",
            "o",
            "lowerdir="
                + scratch.resolve("lower")
                + ",upperdir="
                + dir
                + ",workdir="
                + scratch.resolve("work")
                + ",nosuid,nodev");
    Map<String, String> volumeLabels = new HashMap<>(labels);
    volumeLabels.put(SCRATCH, scratch.toString());
    return volume(daemon, "proteus-rw-" + id, options, volumeLabels, target, held);
  }

  /**
   * {@code folder} at {@code target}, read-only, {@code nosuid,nodev}; released by {@code held}.
   */
  public static Mount readOnly(
      Daemon daemon, Path folder, String target, Map<String, String> labels, Releases held) {
    Path dir = checked(folder);
    Map<String, String> options =
        Map.of("type", "none", "device", dir.toString(), "o", "bind,ro,nosuid,nodev");
    return volume(daemon, "proteus-ro-" + randomId(), options, labels, target, held);
  }

  private static Mount volume(
      Daemon daemon,
      String name,
      Map<String, String> options,
      Map<String, String> labels,
      String target,
      Releases held) {
    try {
      daemon
          .calls()
          .createVolumeCmd()
          .withName(name)
          .withDriver("local")
          .withDriverOpts(options)
          .withLabels(labels)
          .exec();
    } catch (RuntimeException e) {
      throw new EngineException(
          "cannot make a volume for " + target + ": " + Errors.describe(e), e);
    }
    held.add("volume " + name, () -> remove(daemon, name));
    return new Mount()
        .withType(MountType.VOLUME)
        .withSource(name)
        .withTarget(target)
        .withVolumeOptions(new VolumeOptions().withNoCopy(true));
  }

  /** Removes a volume, retrying for a few seconds while the daemon still holds it. */
  private static void remove(Daemon daemon, String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long backoff = 50;
    while (true) {
      try {
        daemon.calls().removeVolumeCmd(name).exec();
        return;
      } catch (NotFoundException e) {
        return;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          log.warn("cannot remove volume {}: {}", name, Errors.describe(e));
          return;
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 1000);
      }
    }
  }

  /** Deletes the scratch folder a leftover volume's labels name, if it is one of the engine's. */
  static void deleteScratch(Map<String, String> labels) {
    String s = labels == null ? null : labels.get(SCRATCH);
    if (s == null) {
      return;
    }
    Path p = Path.of(s).normalize();
    if (p.isAbsolute()
        && p.toString().equals(s)
        && p.getFileName() != null
        && SCRATCH_NAME.matcher(p.getFileName().toString()).matches()) {
      SafeTrees.delete(p);
    }
  }

  private static Path checked(Path folder) {
    Path dir = folder.toAbsolutePath().normalize();
    if (!SAFE_PATH.matcher(dir.toString()).matches() || dir.getParent() == null) {
      throw new EngineException(
          "cannot mount "
              + dir
              + ": its path has characters the engine does not mount (letters, digits and"
              + " ._/@+- only)");
    }
    return dir;
  }

  private static String randomId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
