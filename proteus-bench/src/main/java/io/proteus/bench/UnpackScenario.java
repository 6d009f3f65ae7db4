package io.proteus.bench;

import io.proteus.ArchiveException;
import io.proteus.core.archive.ArchiveExtractor;
import io.proteus.core.archive.ArchiveLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Safe unpacking: {@link ArchiveExtractor} with every check on against GNU {@code tar -xzf} of the
 * same tar.gz, each run twice with the second timed; and the time a zip bomb takes to be refused.
 */
final class UnpackScenario {
  private UnpackScenario() {}

  static List<Row> rows(Sizes sizes, Path work) throws IOException, InterruptedException {
    Path archive =
        Archives.tarGz(work.resolve("large.tar.gz"), sizes.unpackBytes(), sizes.unpackFiles());
    ArchiveExtractor extractor =
        new ArchiveExtractor(
            ArchiveLimits.DEFAULT
                .withMaxTotalBytes(
                    Math.max(ArchiveLimits.DEFAULT.maxTotalBytes(), 2 * sizes.unpackBytes()))
                .withMaxEntries(
                    Math.max(ArchiveLimits.DEFAULT.maxEntries(), 2 * sizes.unpackFiles())));
    long proteus = 0;
    long tar = 0;
    for (int round = 0; round < 2; round++) {
      Path ours = work.resolve("ours-" + round);
      long start = System.nanoTime();
      extractor.extract(archive, ours);
      proteus = System.nanoTime() - start;
      Scripts.delete(ours);
      Path theirs = Files.createDirectories(work.resolve("tar-" + round));
      start = System.nanoTime();
      Scripts.run(new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", theirs.toString()));
      tar = System.nanoTime() - start;
      Scripts.delete(theirs);
    }
    double ratio = (double) tar / proteus;
    String size =
        sizes.unpackBytes() >= 1 << 20
            ? (sizes.unpackBytes() >> 20) + " MiB"
            : (sizes.unpackBytes() >> 10) + " KiB";
    Row unpack =
        new Row(
            "safe unpacking of a " + size + ", " + sizes.unpackFiles() + "-file tar.gz",
            Row.millis(proteus),
            "GNU tar -xzf: " + Row.millis(tar),
            Row.times(ratio) + " of tar's throughput",
            "at least 0.5x",
            ratio);
    return List.of(unpack, bomb(sizes, work));
  }

  private static Row bomb(Sizes sizes, Path work) throws IOException {
    Path zip = Archives.zipBomb(work.resolve("bomb.zip"), sizes.bombBytes());
    ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    long took = -1;
    String why = "not refused";
    for (int round = 0; round < 2; round++) {
      Path target = work.resolve("bomb-" + round);
      long start = System.nanoTime();
      try {
        extractor.extract(zip, target);
      } catch (ArchiveException e) {
        took = System.nanoTime() - start;
        why = e.getMessage();
      }
      Scripts.delete(target);
    }
    if (took < 0) {
      throw new IllegalStateException("the zip bomb was unpacked");
    }
    return new Row(
        "zip bomb: one entry inflating to "
            + (sizes.bombBytes() >> 20)
            + " MiB from a "
            + (Files.size(zip) >> 10)
            + " KiB zip",
        "refused in " + Row.millis(took),
        "-",
        "refused: " + why.replace('|', '/'),
        "under 1 s",
        took);
  }
}
