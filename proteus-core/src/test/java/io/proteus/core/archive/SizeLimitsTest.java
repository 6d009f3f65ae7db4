package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.core.archive.TestArchives.F;
import io.proteus.core.archive.TestArchives.Hard;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bytes are counted against the totals, the reservation, the declared sizes and the ratio. */
class SizeLimitsTest {
  static final int SIZE_FIELD = 24;

  @TempDir Path tmp;
  int targets;

  Path target() {
    return tmp.resolve("t" + ++targets);
  }

  /** Checks {@code extraction} into the latest {@link #target()} is refused and leaves nothing. */
  void assertRefused(Runnable extraction, String message) {
    assertThatThrownBy(extraction::run)
        .isInstanceOf(ArchiveException.class)
        .hasMessageEndingWith(message);
    assertThat(tmp.resolve("t" + targets)).doesNotExist();
  }

  Path zipOf(String name, int bytes) throws IOException {
    return TestArchives.zip(tmp, new F(name, "0".repeat(bytes)));
  }

  @Test
  void aZipEntryThatUnpacksToMoreThanItsCentralDirectorySaysIsRefused() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    Path lying = zipOf("big", 1 << 20);
    TestArchives.patchCentral(lying, SIZE_FIELD, 10);
    assertThat(x.declaredSize(lying)).isEqualTo(10);
    Path t = target();
    assertRefused(
        () -> x.extract(lying, t, 10),
        ": entry #1 'big': it unpacks to more than the 10 bytes the archive declares for it");
    Path unbounded = target();
    assertRefused(
        () -> x.extract(lying, unbounded),
        ": entry #1 'big': it unpacks to more than the 10 bytes the archive declares for it");
  }

  @Test
  void aZipEntryMayUnpackToExactlyWhatItDeclares() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    Path exact = zipOf("f", 1000);
    Path t = target();
    x.extract(exact, t, 1000);
    assertThat(t.resolve("f")).hasSize(1000);
    TestArchives.patchCentral(exact, SIZE_FIELD, 999);
    Path u = target();
    assertRefused(
        () -> x.extract(exact, u),
        ": entry #1 'f': it unpacks to more than the 999 bytes the archive declares for it");
  }

  @Test
  void aZipThatDeclaresMoreThanTheReservationIsRefusedBeforeAnythingIsWritten() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    Path zip = TestArchives.zip(tmp, new F("a", "12345"), new F("b", "67890"));
    Path t = target();
    x.extract(zip, t, 10);
    assertThat(t.resolve("b")).hasContent("67890");
    Path u = target();
    assertRefused(
        () -> x.extract(zip, u, 9),
        ": its entries declare 10 bytes, more than the 9 bytes reserved for it");
  }

  @Test
  void aTarIsStoppedAtTheReservation() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    Path tar = TestArchives.tarGz(tmp, new F("a", "12345"), new F("b", "67890"));
    Path t = target();
    x.extract(tar, t, 10);
    assertThat(t.resolve("b")).hasContent("67890");
    Path u = target();
    assertRefused(
        () -> x.extract(tar, u, 9),
        ": entry #2 'b': the archive unpacks to more than the 9 bytes reserved for it");
  }

  @Test
  void theTotalLimitHoldsOnRealBytesAtItsBoundary() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxTotalBytes(10));
    Path tar = TestArchives.tarGz(tmp, new F("a", "12345"), new F("b", "67890"));
    Path t = target();
    x.extract(tar, t);
    assertThat(x.declaredSize(tar)).isEqualTo(10);
    Path over = TestArchives.tarGz(tmp, new F("a", "12345"), new F("b", "678901"));
    Path u = target();
    assertRefused(
        () -> x.extract(over, u), ": entry #2 'b': the archive unpacks to more than 10 bytes");
    assertThatThrownBy(() -> x.declaredSize(over))
        .isInstanceOf(ArchiveException.class)
        .hasMessageEndingWith(": its entries declare 11 bytes, over the limit of 10 bytes");
    Path zip = TestArchives.zip(tmp, new F("a", "12345"), new F("b", "678901"));
    Path v = target();
    assertRefused(
        () -> x.extract(zip, v),
        ": its entries declare 11 bytes, more than the 10 bytes the limit allows");
  }

  @Test
  void aReservationAboveTheLimitIsTheLimit() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxTotalBytes(10));
    Path over = TestArchives.tarGz(tmp, new F("a", "12345678901"));
    Path t = target();
    assertRefused(
        () -> x.extract(over, t, 1000),
        ": entry #1 'a': the archive unpacks to more than 10 bytes");
  }

  @Test
  void hardLinksCostNoBytesSoTheDeclaredSizeIsWhatIsWritten() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT);
    Path tar =
        TestArchives.tarGz(
            tmp,
            new F("data", "0".repeat(1000)),
            new Hard("h1", "data"),
            new Hard("h2", "data"),
            new Hard("h3", "h1"));
    long declared = x.declaredSize(tar);
    assertThat(declared).isEqualTo(1000);
    Path t = target();
    x.extract(tar, t, declared);
    assertThat(t.resolve("h3")).hasSize(1000);
  }

  @Test
  void theRatioToTheArchiveSizeHoldsAtItsBoundary() throws IOException {
    int bytes = 4 << 20;
    Path gz = tarGzOfZeros(bytes);
    long size = Files.size(gz);
    assertThat(size).isLessThan(bytes / 512);
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxRatio(512));
    padTo(gz, bytes / 512);
    Path t = target();
    x.extract(gz, t);
    assertThat(t.resolve("zeros")).hasSize(bytes);
    Path smaller = tarGzOfZeros(bytes);
    padTo(smaller, bytes / 512 - 1);
    Path u = target();
    assertRefused(
        () -> x.extract(smaller, u),
        ": entry #1 'zeros': the archive unpacks to more than 512.0 times its size of 8191 bytes;"
            + " refused as a possible bomb");
  }

  @Test
  void theRatioIsNotCheckedBelowOneMebibyte() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxRatio(1.5));
    Path t = target();
    x.extract(tarGzOfZeros(1 << 20), t);
    assertThat(t.resolve("zeros")).hasSize(1 << 20);
    Path over = tarGzOfZeros((1 << 20) + 1);
    Path u = target();
    assertRefused(() -> x.extract(over, u), "; refused as a possible bomb");
  }

  @Test
  void aZipEntryThatExpandsMoreThanTheRatioOverItsCompressedSizeIsRefused() throws IOException {
    int bytes = 2 << 20;
    Path zip = zipOf("zeros", bytes);
    long compressed;
    try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
      compressed = z.getEntry("zeros").getCompressedSize();
    }
    double ratio = (double) bytes / compressed;
    Path t = target();
    new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxRatio(ratio * 1.001)).extract(zip, t);
    assertThat(t.resolve("zeros")).hasSize(bytes);
    Path u = target();
    double lower = ratio * 0.999;
    assertRefused(
        () -> new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxRatio(lower)).extract(zip, u),
        ": entry #1 'zeros': it expands more than "
            + lower
            + " times its compressed size of "
            + compressed
            + " bytes; refused as a possible bomb");
  }

  @Test
  void theEntryCountHoldsAtItsBoundary() throws IOException {
    ArchiveExtractor x = new ArchiveExtractor(ArchiveLimits.DEFAULT.withMaxEntries(3));
    Path three = TestArchives.tarGz(tmp, new F("a", "1"), new F("b", "1"), new F("c", "1"));
    Path t = target();
    x.extract(three, t);
    Path four =
        TestArchives.tarGz(tmp, new F("a", "1"), new F("b", "1"), new F("c", "1"), new F("d", "1"));
    Path u = target();
    assertRefused(() -> x.extract(four, u), ": entry #4 'd': the archive has more than 3 entries");
    assertThatThrownBy(() -> x.declaredSize(four))
        .hasMessageEndingWith(": entry #4 'd': the archive has more than 3 entries");
  }

  Path tarGzOfZeros(int bytes) throws IOException {
    Path file = Files.createTempFile(tmp, "zeros", ".tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(TestArchives.header("zeros", TarConstants.LF_NORMAL, bytes));
      out.write(new byte[bytes]);
      out.write(TestArchives.padding(bytes));
      out.write(TestArchives.end(512 + bytes + TestArchives.padding(bytes).length));
    }
    return file;
  }

  static void padTo(Path file, long size) throws IOException {
    long pad = size - Files.size(file);
    assertThat(pad).isNotNegative();
    Files.write(file, new byte[(int) pad], StandardOpenOption.APPEND);
    assertThat(Files.size(file)).isEqualTo(size);
  }
}
