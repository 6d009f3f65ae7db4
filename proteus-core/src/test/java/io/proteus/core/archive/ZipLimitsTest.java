package io.proteus.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArchiveException;
import io.proteus.core.archive.TestArchives.F;
import io.proteus.core.archive.TestArchives.Sym;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A zip's central directory is walked and bounded before it is read; methods and links too. */
class ZipLimitsTest {
  @TempDir Path tmp;
  int targets;

  Path target() {
    return tmp.resolve("t" + ++targets);
  }

  void assertRefused(ArchiveLimits limits, Path zip, String message) {
    Path t = target();
    assertThatThrownBy(() -> new ArchiveExtractor(limits).extract(zip, t))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(zip.getFileName() + message);
    assertThat(t).doesNotExist();
    assertThatThrownBy(() -> new ArchiveExtractor(limits).declaredSize(zip))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(zip.getFileName() + message);
  }

  Path unpacked(ArchiveLimits limits, Path zip) {
    Path t = target();
    new ArchiveExtractor(limits).extract(zip, t);
    return t;
  }

  @Test
  void theEntryCountIsCheckedOnTheCentralDirectoryItself() throws IOException {
    ArchiveLimits three = ArchiveLimits.DEFAULT.withMaxEntries(3);
    Path ok = TestArchives.zip(tmp, new F("a", "1"), new F("b", "2"), new F("c", "3"));
    assertThat(unpacked(three, ok).resolve("c")).hasContent("3");
    Path over =
        TestArchives.zip(tmp, new F("a", "1"), new F("b", "2"), new F("c", "3"), new F("d", "4"));
    assertRefused(three, over, ": its central directory has more than 3 entries");
  }

  @Test
  void namesAreMeasuredInTheCentralDirectoryBeforeTheyAreDecoded() throws IOException {
    ArchiveLimits ten = ArchiveLimits.DEFAULT.withMaxNameBytes(10);
    assertThat(unpacked(ten, TestArchives.zip(tmp, new F("0123456789", "x"))).resolve("0123456789"))
        .hasContent("x");
    assertRefused(
        ten,
        TestArchives.zip(tmp, new F("01234567890", "x")),
        ": entry #1: its name has 11 bytes, over the limit of 10 bytes");
  }

  @Test
  void extraFieldsAndCommentsAreBounded() throws IOException {
    ArchiveLimits hundred = ArchiveLimits.DEFAULT.withMaxHeaderBytes(100);
    assertThat(unpacked(hundred, commented(100)).resolve("f")).hasContent("x");
    assertRefused(
        hundred,
        commented(101),
        ": entry #1: its extra fields and comment of 101 bytes are over the limit of 100 bytes");
  }

  /** A zip of one entry whose extra fields and comment have {@code headerBytes} together. */
  Path commented(int headerBytes) throws IOException {
    int extra = extraLength(withComment(""));
    return withComment("c".repeat(headerBytes - extra));
  }

  Path withComment(String comment) throws IOException {
    Path file = Files.createTempFile(tmp, "c", ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      ZipArchiveEntry e = new ZipArchiveEntry("f");
      e.setComment(comment);
      zip.putArchiveEntry(e);
      zip.write('x');
      zip.closeArchiveEntry();
    }
    return file;
  }

  static int extraLength(Path zip) throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    int at = TestArchives.centralRecords(bytes).getFirst();
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort(at + 30) & 0xffff;
  }

  @Test
  void zip64ArchivesAreWalkedThroughTheirZip64Records() throws IOException {
    Path file = Files.createTempFile(tmp, "z64", ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      zip.setUseZip64(Zip64Mode.Always);
      for (String n : new String[] {"a", "b", "c", "d"}) {
        zip.putArchiveEntry(new ZipArchiveEntry(n));
        zip.write(n.getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
      }
    }
    assertThat(unpacked(ArchiveLimits.DEFAULT, file).resolve("d")).hasContent("d");
    assertRefused(
        ArchiveLimits.DEFAULT.withMaxEntries(3),
        file,
        ": its central directory has more than 3 entries");
  }

  @Test
  void aZipAfterAPrefixIsWalkedWhereItsReaderLooks() throws IOException {
    Path plain = TestArchives.zip(tmp, new F("a", "1"), new F("b", "2"));
    Path prefixed = tmp.resolve("prefixed.zip");
    try (OutputStream out = Files.newOutputStream(prefixed)) {
      out.write("#!/bin/sh\nexit 0\n".repeat(50).getBytes(StandardCharsets.UTF_8));
      out.write(Files.readAllBytes(plain));
    }
    assertThat(unpacked(ArchiveLimits.DEFAULT, prefixed).resolve("b")).hasContent("2");
    assertRefused(
        ArchiveLimits.DEFAULT.withMaxEntries(1),
        prefixed,
        ": its central directory has more than 1 entries");
  }

  @Test
  void aCentralDirectoryOfAMillionRecordsIsRefusedInA64MbHeap() throws Exception {
    Path zip = manyRecords(tmp.resolve("many.zip"), 1_500_000);
    SmallHeap.Result size = SmallHeap.run(tmp, "size", zip.toString());
    assertThat(size.output())
        .contains("REFUSED many.zip: its central directory has more than 100000 entries");
    assertThat(size.exitCode()).isEqualTo(3);
  }

  @SuppressWarnings("ByteBufferBackingArray") // the buffers come from le(), allocate()
  static Path manyRecords(Path file, int records) throws IOException {
    byte[] name = {'a'};
    try (OutputStream out =
        new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      ByteBuffer lfh = le(30 + 1);
      lfh.putInt(0x04034b50).putShort((short) 10).putShort((short) 0).putShort((short) 0);
      lfh.putInt(0).putInt(0).putInt(0).putInt(0).putShort((short) 1).putShort((short) 0);
      lfh.put(name);
      out.write(lfh.array());
      ByteBuffer cfh = le(46 + 1);
      cfh.putInt(0x02014b50).putShort((short) 10).putShort((short) 10).putShort((short) 0);
      cfh.putShort((short) 0).putInt(0).putInt(0).putInt(0).putInt(0);
      cfh.putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
      cfh.putShort((short) 0).putInt(0).putInt(0).put(name);
      for (int i = 0; i < records; i++) {
        out.write(cfh.array());
      }
      ByteBuffer eocd = le(22);
      eocd.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
      eocd.putShort((short) 0xffff).putShort((short) 0xffff);
      eocd.putInt(records * 47).putInt(31).putShort((short) 0);
      out.write(eocd.array());
    }
    return file;
  }

  static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void onlyStoredDeflatedDeflate64AndBzip2EntriesAreRead() throws IOException {
    for (int method : new int[] {95, 93, 14, 6, 1, 99}) {
      Path zip = TestArchives.zip(tmp, new F("f", "data"));
      TestArchives.patchMethod(zip, method);
      Path t = target();
      assertThatThrownBy(() -> new ArchiveExtractor(ArchiveLimits.DEFAULT).extract(zip, t))
          .isInstanceOf(ArchiveException.class)
          .hasMessageContaining(": entry #1 'f': it is compressed with method " + method + " (")
          .hasMessageEndingWith(
              "), which is not supported; use stored, deflated, deflate64 or bzip2");
      assertThat(t).doesNotExist();
    }
    Path bzip2 = bzip2Zip("bzipped content");
    assertThat(unpacked(ArchiveLimits.DEFAULT, bzip2).resolve("f")).hasContent("bzipped content");
  }

  Path bzip2Zip(String content) throws IOException {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(packed)) {
      bz.write(data);
    }
    byte[] compressed = packed.toByteArray();
    Path file = Files.createTempFile(tmp, "bz", ".zip");
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(file)) {
      ZipArchiveEntry e = new ZipArchiveEntry("f");
      e.setMethod(ZipArchiveEntry.STORED);
      e.setSize(compressed.length);
      CRC32 crc = new CRC32();
      crc.update(compressed);
      e.setCrc(crc.getValue());
      zip.putArchiveEntry(e);
      zip.write(compressed);
      zip.closeArchiveEntry();
    }
    TestArchives.patchMethod(file, 12);
    TestArchives.patchCentral(file, 24, data.length);
    return file;
  }

  @Test
  void aZipLinkTargetIsBoundedAndHeldToItsDeclaredSize() throws IOException {
    ArchiveLimits ten = ArchiveLimits.DEFAULT.withMaxNameBytes(10);
    Path ok = TestArchives.zip(tmp, new F("0123456789", "x"), new Sym("l", "0123456789"));
    assertThat(unpacked(ten, ok).resolve("l")).hasContent("x");
    Path t = target();
    Path over = TestArchives.zip(tmp, new Sym("l", "01234567890"));
    assertThatThrownBy(() -> new ArchiveExtractor(ten).extract(over, t))
        .hasMessageEndingWith(": entry #1 'l': its link target is over the limit of 10 bytes");
    Path lying = TestArchives.zip(tmp, new Sym("l", "abc"));
    TestArchives.patchCentral(lying, 24, 2);
    Path u = target();
    assertThatThrownBy(() -> new ArchiveExtractor(ArchiveLimits.DEFAULT).extract(lying, u))
        .hasMessageEndingWith(
            ": entry #1 'l': it unpacks to more than the 2 bytes the archive declares for it");
    assertThat(u).doesNotExist();
  }
}
