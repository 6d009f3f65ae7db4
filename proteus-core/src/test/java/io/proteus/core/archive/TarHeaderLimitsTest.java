package io.proteus.core.archive;

import static io.proteus.core.archive.TestArchives.header;
import static io.proteus.core.archive.TestArchives.paxRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.core.archive.TestArchives.Generated;
import io.proteus.core.archive.TestArchives.RawTar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tar headers are bounded before Commons Compress reads them into memory. */
class TarHeaderLimitsTest {
  static final long HUGE = 400L << 20;

  @TempDir Path tmp;

  static Budget budget(ArchiveLimits limits) {
    return new Budget("x.tar", 1 << 30, limits, Long.MAX_VALUE);
  }

  static void readAll(TarInput tar) throws IOException {
    byte[] buf = new byte[8192];
    Budget b = budget(ArchiveLimits.DEFAULT);
    TarArchiveEntry e;
    while ((e = tar.getNextEntry()) != null) {
      b.entry(e.getName());
      while (tar.read(buf) > 0) {
        // data
      }
    }
  }

  ArchiveExtractor extractor(ArchiveLimits limits) {
    return new ArchiveExtractor(limits);
  }

  void assertRefused(Path archive, ArchiveLimits limits, String message) {
    Path target = tmp.resolve("t" + System.nanoTime());
    assertThatThrownBy(() -> extractor(limits).extract(archive, target))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(message);
    assertThat(target).doesNotExist();
  }

  Path unpacked(Path archive, ArchiveLimits limits) {
    Path target = tmp.resolve("t" + System.nanoTime());
    extractor(limits).extract(archive, target);
    return target;
  }

  @Test
  void aGnuLongNameOf400MbIsRefusedBeforeOneByteOfItIsRead() {
    Generated in =
        new Generated(
            header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, HUGE), HUGE, new byte[0]);
    TarInput tar = TarInput.of(in, budget(ArchiveLimits.DEFAULT));
    assertThatThrownBy(tar::getNextEntry)
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "x.tar: entry #1: a GNU long name record of 419430400 bytes is over the limit of 4096"
                + " bytes");
    assertThat(in.served.get()).isEqualTo(512);
  }

  @Test
  void aLongLinkTargetAndAPaxHeaderOf400MbAreRefusedBeforeTheyAreRead() {
    Generated link =
        new Generated(
            header("././@LongLink", TarConstants.LF_GNUTYPE_LONGLINK, HUGE), HUGE, new byte[0]);
    assertThatThrownBy(() -> TarInput.of(link, budget(ArchiveLimits.DEFAULT)).getNextEntry())
        .hasMessage(
            "x.tar: entry #1: a GNU long link target record of 419430400 bytes is over the limit"
                + " of 4096 bytes");
    assertThat(link.served.get()).isEqualTo(512);
    Generated pax =
        new Generated(
            header("PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC, HUGE), HUGE, new byte[0]);
    assertThatThrownBy(() -> TarInput.of(pax, budget(ArchiveLimits.DEFAULT)).getNextEntry())
        .hasMessage(
            "x.tar: entry #1: a PAX extended header of 419430400 bytes is over the limit of 65536"
                + " bytes");
    assertThat(pax.served.get()).isEqualTo(512);
  }

  @Test
  void theGnuLongNameLimitCountsTheNameAndItsNul() throws IOException {
    ArchiveLimits limits = ArchiveLimits.DEFAULT.withMaxNameBytes(200);
    Path ok = gnuLongName("n".repeat(200));
    assertThat(unpacked(ok, limits).resolve("n".repeat(200))).hasContent("x");
    assertRefused(
        gnuLongName("n".repeat(201)),
        limits,
        "a.tar: entry #1: a GNU long name record of 202 bytes is over the limit of 200 bytes");
  }

  Path gnuLongName(String name) throws IOException {
    Path file = tmp.resolve("a.tar");
    Files.deleteIfExists(file);
    try (OutputStream out = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      TarArchiveEntry e = new TarArchiveEntry(name);
      e.setSize(1);
      tar.putArchiveEntry(e);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    return file;
  }

  @Test
  void aPaxHeaderMayHaveExactlyTheLimit() throws IOException {
    ArchiveLimits limits = ArchiveLimits.DEFAULT.withMaxHeaderBytes(1000);
    Path ok =
        new RawTar()
            .pax(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxRecord("k", 1000))
            .file("f", "x")
            .write(tmp.resolve("ok.tar"));
    assertThat(unpacked(ok, limits).resolve("f")).hasContent("x");
    Path over =
        new RawTar()
            .pax(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxRecord("k", 1001))
            .file("f", "x")
            .write(tmp.resolve("over.tar"));
    assertRefused(
        over,
        limits,
        "over.tar: entry #1: a PAX extended header of 1001 bytes is over the limit of 1000 bytes");
  }

  @Test
  void globalPaxHeadersAreBoundedInAll() throws IOException {
    ArchiveLimits limits = ArchiveLimits.DEFAULT.withMaxHeaderBytes(1000);
    Path ok =
        new RawTar()
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g1", 300))
            .file("a", "1")
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g1", 700))
            .file("b", "2")
            .write(tmp.resolve("ok.tar"));
    assertThat(unpacked(ok, limits).resolve("b")).hasContent("2");
    Path over =
        new RawTar()
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g1", 300))
            .file("a", "1")
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g1", 701))
            .file("b", "2")
            .write(tmp.resolve("over.tar"));
    assertRefused(
        over,
        limits,
        "over.tar: entry #2: global PAX headers of 1001 bytes in all are over the limit of 1000"
            + " bytes");
  }

  @Test
  void thePaxHeadersAnEntryCarriesAreBoundedInAll() throws IOException {
    ArchiveLimits limits = ArchiveLimits.DEFAULT.withMaxHeaderBytes(1000);
    String v499 = "v".repeat(499);
    Path ok =
        new RawTar()
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g", v499))
            .pax(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxRecord("k", v499))
            .file("f", "x")
            .write(tmp.resolve("ok.tar"));
    assertThat(unpacked(ok, limits).resolve("f")).hasContent("x");
    Path over =
        new RawTar()
            .pax(TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, paxRecord("g", v499))
            .pax(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxRecord("k", v499 + "v"))
            .file("f", "x")
            .write(tmp.resolve("over.tar"));
    assertRefused(
        over,
        limits,
        "over.tar: entry #1: its PAX headers of 1001 bytes are over the limit of 1000 bytes");
  }

  @Test
  void allTheHeadersOfOneEntryAreBoundedWithRoomForFraming() throws IOException {
    RawTar raw = new RawTar();
    for (int i = 0; i < 20; i++) {
      raw.add(
          "././@LongLink",
          TarConstants.LF_GNUTYPE_LONGNAME,
          "a\0".getBytes(StandardCharsets.US_ASCII));
    }
    Path archive = raw.file("ignored", "").write(tmp.resolve("many.tar"));
    int headers = 20 * 1024 + 512;
    ArchiveLimits exact =
        ArchiveLimits.DEFAULT.withMaxHeaderBytes(headers - TarInput.FRAMING_BYTES);
    assertThat(unpacked(archive, exact).resolve("a")).hasContent("");
    assertRefused(
        archive,
        exact.withMaxHeaderBytes(exact.maxHeaderBytes() - 1),
        "many.tar: entry #1: its headers (long names, PAX headers, sparse maps) are over the limit"
            + " of 4607 bytes (and 16384 for tar's framing)");
  }

  @Test
  void headerBytesAreCountedAfreshForEachEntryAndNotForData() throws IOException {
    RawTar raw = new RawTar();
    for (int i = 0; i < 20; i++) {
      raw.add("f" + i, TarConstants.LF_NORMAL, new byte[30_000]);
    }
    Path archive = raw.write(tmp.resolve("data.tar"));
    Path target = unpacked(archive, ArchiveLimits.DEFAULT.withMaxHeaderBytes(1));
    assertThat(target.resolve("f19")).hasSize(30_000);
  }

  @Test
  void sparseFilesAreRefused() throws IOException {
    Path oldGnu =
        new RawTar()
            .add("holes", TarConstants.LF_GNUTYPE_SPARSE, new byte[0])
            .write(tmp.resolve("old.tar"));
    assertRefused(
        oldGnu,
        ArchiveLimits.DEFAULT,
        "old.tar: entry #1: 'holes' is a sparse file, which is not supported");
    Path pax =
        new RawTar()
            .pax(
                TarConstants.LF_PAX_EXTENDED_HEADER_LC,
                paxRecord("GNU.sparse.size", "1000000000"),
                paxRecord("GNU.sparse.map", "0,5"))
            .file("holes", "12345")
            .write(tmp.resolve("pax.tar"));
    assertRefused(
        pax,
        ArchiveLimits.DEFAULT,
        "pax.tar: entry #1: 'holes' is a sparse file, which is not supported");
  }

  @Test
  void devicesFifosAndUnknownTypesAreRefused() throws IOException {
    for (byte type :
        new byte[] {
          TarConstants.LF_FIFO, TarConstants.LF_CHR, TarConstants.LF_BLK, (byte) 'V', (byte) 'Z'
        }) {
      Path archive = TestArchives.tar(tmp, new TestArchives.Typed("special", type));
      String what =
          switch (type) {
            case TarConstants.LF_FIFO -> "a fifo";
            case TarConstants.LF_CHR, TarConstants.LF_BLK -> "a device";
            default -> "an entry of type '" + (char) type + "'";
          };
      assertRefused(
          archive,
          ArchiveLimits.DEFAULT,
          archive.getFileName()
              + ": entry #1 'special': it is "
              + what
              + ", which is not unpacked");
    }
  }

  @Test
  void plainContiguousAndOldStyleFilesAreUnpacked() throws IOException {
    Path archive =
        new RawTar()
            .add("contig", TarConstants.LF_CONTIG, "c".getBytes(StandardCharsets.UTF_8))
            .add("old", TarConstants.LF_OLDNORM, "o".getBytes(StandardCharsets.UTF_8))
            .file("plain", "p")
            .write(tmp.resolve("kinds.tar"));
    Path target = unpacked(archive, ArchiveLimits.DEFAULT);
    assertThat(target.resolve("contig")).hasContent("c");
    assertThat(target.resolve("old")).hasContent("o");
    assertThat(target.resolve("plain")).hasContent("p");
  }

  @Test
  void aLongNameOf400MbInATarGzIsRefusedInA64MbHeap() throws Exception {
    Path big = TestArchives.longNameTarGz(tmp.resolve("big.tar.gz"), HUGE);
    assertThat(Files.size(big)).isLessThan(1 << 20);
    String refusal =
        "REFUSED big.tar.gz: entry #1: a GNU long name record of 419430400 bytes is over the limit"
            + " of 4096 bytes";
    SmallHeap.Result size = SmallHeap.run(tmp, "size", big.toString());
    assertThat(size.output()).contains(refusal);
    assertThat(size.exitCode()).isEqualTo(3);
    Path target = tmp.resolve("target");
    SmallHeap.Result extract = SmallHeap.run(tmp, "extract", big.toString(), target.toString());
    assertThat(extract.output()).contains(refusal);
    assertThat(extract.exitCode()).isEqualTo(3);
    assertThat(target).doesNotExist();
  }

  @Test
  void aGzipHeaderWithA100MbFileNameIsSkippedNotBuffered() throws Exception {
    Path gz = tmp.resolve("named.tar.gz");
    byte[] tar = new RawTar().file("tests.json", "{}").bytes();
    try (OutputStream out = Files.newOutputStream(gz)) {
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3});
      byte[] a = new byte[1 << 20];
      Arrays.fill(a, (byte) 'a');
      for (int i = 0; i < 100; i++) {
        out.write(a);
      }
      out.write(0);
      ByteArrayOutputStream deflated = new ByteArrayOutputStream();
      try (DeflaterOutputStream d =
          new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFAULT_COMPRESSION, true))) {
        d.write(tar);
      }
      out.write(deflated.toByteArray());
      CRC32 crc = new CRC32();
      crc.update(tar);
      ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      trailer.putInt((int) crc.getValue()).putInt(tar.length);
      out.write(trailer.array());
    }
    Path target = tmp.resolve("target");
    SmallHeap.Result r = SmallHeap.run(tmp, "extract", gz.toString(), target.toString());
    assertThat(r.output()).contains("OK");
    assertThat(r.exitCode()).isZero();
    assertThat(target.resolve("tests.json")).hasContent("{}");
  }

  @Test
  void declaredSizeReadsHeadersWithTheSameBounds() throws IOException {
    Path big = tmp.resolve("long.tar");
    try (OutputStream out = Files.newOutputStream(big)) {
      out.write(header("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME, 1 << 20));
      out.write(new byte[1 << 20]);
      out.write(header("f", TarConstants.LF_NORMAL, 0));
      out.write(TestArchives.end(0));
    }
    assertThatThrownBy(() -> extractor(ArchiveLimits.DEFAULT).declaredSize(big))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            "long.tar: entry #1: a GNU long name record of 1048576 bytes is over the limit of 4096"
                + " bytes");
  }

  @Test
  void declaredSizeSkipsDataWithoutCountingItAsHeaders() throws IOException {
    RawTar raw = new RawTar();
    for (int i = 0; i < 20; i++) {
      raw.add("f" + i, TarConstants.LF_NORMAL, new byte[30_000]);
    }
    Path archive = raw.write(tmp.resolve("data.tar"));
    assertThat(extractor(ArchiveLimits.DEFAULT.withMaxHeaderBytes(1)).declaredSize(archive))
        .isEqualTo(600_000);
  }
}
