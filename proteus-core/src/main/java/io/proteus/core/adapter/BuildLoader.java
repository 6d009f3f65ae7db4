package io.proteus.core.adapter;

import io.proteus.ArchiveException;
import io.proteus.PlanException;
import io.proteus.ProteusException;
import io.proteus.core.archive.ArchiveExtractor;
import io.proteus.core.archive.ArchiveLimits;
import io.proteus.core.plan.PlanDocument;
import io.proteus.core.plan.PlanReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Brings a build (a folder, a {@code .zip}, a {@code .tar.gz}) into a folder of its own and reads
 * its plan: {@code tests.json} at its root ({@code test.json}, the original name, also works).
 */
public final class BuildLoader {
  private final ArchiveExtractor extractor;
  private final PlanReader reader = new PlanReader();

  /** A loader whose archives are unpacked within these limits. */
  public BuildLoader(ArchiveLimits limits) {
    this.extractor = new ArchiveExtractor(limits);
  }

  /**
   * A loaded build.
   *
   * @param root the folder holding its files
   * @param plan its plan document
   */
  public record Loaded(Path root, PlanDocument plan) {}

  /** Whether the path is something this loader takes. */
  public static boolean isBuild(Path source) {
    return Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)
        || ArchiveExtractor.isArchive(source);
  }

  /**
   * The bytes a build needs once unpacked: a folder's total, or the sum of the sizes an archive's
   * entries declare. {@link #load(Path, Path, long)} given this size never writes more: an entry
   * that unpacks to more than it declares is refused.
   *
   * @throws ArchiveException when the archive is refused or declares more than the limits allow
   */
  public long size(Path source) {
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(source)) {
        long total = 0;
        for (Path p :
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
          total += Files.size(p);
        }
        return total;
      } catch (IOException e) {
        throw new ProteusException(
            "cannot measure " + source.getFileName() + ": " + e.getMessage(), e);
      }
    }
    return extractor.declaredSize(source);
  }

  /**
   * Copies or unpacks {@code source} into {@code target} (which must not exist) and reads its plan.
   *
   * @throws ArchiveException when the archive is refused
   * @throws PlanException when the plan is missing or bad
   */
  public Loaded load(Path source, Path target) {
    return load(source, target, Long.MAX_VALUE);
  }

  /**
   * Copies or unpacks {@code source} into {@code target} (which must not exist), writing at most
   * {@code maxBytes} (the storage reserved for it, from {@link #size}), and reads its plan.
   *
   * @throws ArchiveException when the archive is refused or would write more than {@code maxBytes}
   * @throws PlanException when the plan is missing or bad
   */
  public Loaded load(Path source, Path target, long maxBytes) {
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      copyFolder(source, target, maxBytes);
    } else if (ArchiveExtractor.isArchive(source)) {
      extractor.extract(source, target, maxBytes);
    } else {
      throw new ProteusException(
          source.getFileName() + ": not a build; give a folder, a .zip, a .tar.gz or a .tgz");
    }
    return new Loaded(target, readPlan(target, source.getFileName().toString()));
  }

  /** Reads the plan at the root of an unpacked build. */
  public PlanDocument readPlan(Path root, String buildName) {
    for (String name : new String[] {"tests.json", "test.json"}) {
      Path plan = root.resolve(name);
      if (Files.isRegularFile(plan, LinkOption.NOFOLLOW_LINKS)) {
        return reader.readBuildPlan(plan);
      }
    }
    throw new PlanException(
        new io.proteus.SourceLocation(buildName + "/tests.json", 1, 1),
        "",
        "the build has no tests.json at its root");
  }

  private static void copyFolder(Path source, Path target, long maxBytes) {
    try (Stream<Path> walk = Files.walk(source)) {
      long total = 0;
      for (Path p : walk.toList()) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          total += Files.size(dest);
          if (total > maxBytes) {
            throw new ProteusException(
                "build "
                    + source.getFileName()
                    + " holds more than the "
                    + maxBytes
                    + " bytes reserved for it");
          }
        }
      }
    } catch (IOException e) {
      throw new ProteusException(
          "cannot copy build " + source.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** A build's name without its archive extension. */
  public static String buildName(Path source) {
    String n = source.getFileName().toString();
    String lower = n.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".tar.gz", ".tgz", ".zip", ".tar"}) {
      if (lower.endsWith(ext)) {
        return n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }
}
