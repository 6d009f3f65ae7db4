package io.proteus.core.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The end of an attempt's log, capped, for a report's {@code system-out}: a CI server shows it next
 * to the failure without the whole log. A log that is missing or cannot be read gives nothing.
 */
final class LogTail {
  private LogTail() {}

  /**
   * The last {@code maxBytes} of the log at {@code where} (resolved against {@code base} when it is
   * relative), decoded as UTF-8, with a first line saying how much was cut and where the whole log
   * is.
   */
  static Optional<String> of(Optional<String> where, Optional<Path> base, int maxBytes) {
    if (where.isEmpty() || maxBytes <= 0) {
      return Optional.empty();
    }
    Path file;
    try {
      file = Path.of(where.get());
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    if (!file.isAbsolute() && base.isPresent()) {
      file = base.get().resolve(file);
    }
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      long skip = Math.max(0, size - maxBytes);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, maxBytes));
      ch.position(skip);
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // keep reading until the tail is in
      }
      buf.flip();
      int dropped = 0;
      while (skip > 0
          && dropped < 3
          && buf.hasRemaining()
          && isContinuation(buf.get(buf.position()))) {
        buf.get();
        dropped++;
      }
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(buf)
              .toString();
      if (skip + dropped == 0) {
        return Optional.of(text);
      }
      return Optional.of(
          "[the first "
              + (skip + dropped)
              + " of "
              + size
              + " bytes are cut; the whole log is "
              + where.get()
              + "]\n"
              + text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
