package io.proteus.core.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * An attempt's log as the HTML report embeds it: the whole log when it is small, else its start and
 * its end (where a failure usually shows) with a note of how much of the middle was cut.
 *
 * @param text the embedded text, empty when the log could not be read
 * @param note what the reader should know: the cut, or why the log is not there
 * @param size the log's size in bytes, -1 when unknown
 */
record LogExcerpt(Optional<String> text, Optional<String> note, long size) {

  /** Reads the log at {@code where}: absolute, or relative to the reports folder {@code dir}. */
  static LogExcerpt read(Path dir, String where, int capBytes) {
    Path file;
    try {
      Path p = Path.of(where);
      file = p.isAbsolute() ? p : dir.resolve(p);
    } catch (InvalidPathException e) {
      return missing("The log's path " + where + " is not a valid path.");
    }
    if (!Files.isRegularFile(file)) {
      return missing("The log " + where + " is missing: it was not kept or has been deleted.");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= capBytes) {
        return new LogExcerpt(
            Optional.of(decode(readAt(ch, 0, (int) size))), Optional.empty(), size);
      }
      int head = capBytes / 4;
      int tail = capBytes - head;
      long cut = size - head - tail;
      String text =
          decode(readAt(ch, 0, head))
              + "\n\n[... "
              + bytes(cut)
              + " cut here ...]\n\n"
              + decode(readAt(ch, size - tail, tail));
      String note =
          "This log is "
              + bytes(size)
              + "; the report keeps its first "
              + bytes(head)
              + " and its last "
              + bytes(tail)
              + ", and cuts "
              + bytes(cut)
              + " from the middle. The whole log is "
              + where
              + ".";
      return new LogExcerpt(Optional.of(text), Optional.of(note), size);
    } catch (IOException | RuntimeException e) {
      return missing("The log " + where + " could not be read: " + e.getMessage());
    }
  }

  /** A size for people: bytes, KiB or MiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + (n == 1 ? " byte" : " bytes");
    }
    if (n < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
  }

  private static LogExcerpt missing(String why) {
    return new LogExcerpt(Optional.empty(), Optional.of(why), -1);
  }

  private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
    return buf.flip();
  }

  /** UTF-8, with a replacement character where the cut split a character or the log is not text. */
  private static String decode(ByteBuffer bytes) throws IOException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE)
        .decode(bytes)
        .toString();
  }
}
