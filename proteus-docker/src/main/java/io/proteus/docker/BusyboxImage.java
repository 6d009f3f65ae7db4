package io.proteus.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.proteus.EngineException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tiny image made on the spot from a static busybox binary (Debian's busybox-static), for demos
 * and tests on machines that reach no registry: {@code /bin/busybox} with links for common applets,
 * imported through the Docker Engine API.
 */
public final class BusyboxImage {
  /** The name the demo and the tests use. */
  public static final String DEFAULT_NAME = "proteus-test/busybox:1";

  /** The applets linked into {@code /bin}. */
  public static final List<String> APPLETS =
      List.of(
          "sh", "echo", "cat", "sleep", "true", "false", "head", "tr", "seq", "printf", "kill",
          "ls", "ln", "touch", "grep", "env", "id", "wc", "mkdir", "rm", "expr", "test", "[");

  private BusyboxImage() {}

  /**
   * Makes the image {@code name} from {@code busybox} unless the daemon has it already.
   *
   * @return whether it was made now
   */
  public static boolean ensure(String name, Path busybox, Optional<String> dockerHost) {
    try (DockerClient client = DockerEngine.client(dockerHost)) {
      try {
        client.inspectImageCmd(name).exec();
        return false;
      } catch (NotFoundException e) {
        client.createImageCmd(name, new ByteArrayInputStream(root(busybox))).exec();
        return true;
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof EngineException ee) {
        throw ee;
      }
      throw new EngineException("cannot make image " + name + ": " + e.getMessage(), e);
    }
  }

  /** A tar of a root holding the busybox binary and its applet links. */
  static byte[] root(Path busybox) throws IOException {
    if (!Files.isRegularFile(busybox)) {
      throw new EngineException(
          "no static busybox at " + busybox + " (install Debian's busybox-static)");
    }
    byte[] bin = Files.readAllBytes(busybox);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (String dir : List.of("bin/", "tmp/", "etc/")) {
        TarArchiveEntry d = new TarArchiveEntry(dir);
        d.setMode(dir.equals("tmp/") ? 01777 : 0755);
        tar.putArchiveEntry(d);
        tar.closeArchiveEntry();
      }
      TarArchiveEntry e = new TarArchiveEntry("bin/busybox");
      e.setSize(bin.length);
      e.setMode(0755);
      tar.putArchiveEntry(e);
      tar.write(bin);
      tar.closeArchiveEntry();
      for (String applet : APPLETS) {
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        tar.putArchiveEntry(link);
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
