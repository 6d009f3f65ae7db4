package io.proteus.core.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a journal's last line. A journal ({@code journal/JOB.jsonl}) has one JSON line per write of
 * its job: when, the batch, the job's version and status, its run reference and the tasks the write
 * changed with their statuses and attempt counts.
 */
public final class Journals {
  private static final int TAIL = 64 * 1024;

  private Journals() {}

  /**
   * The batch number of the journal's last complete line, or -1 when it has none, cannot be read or
   * its last line is longer than 64 KiB.
   */
  public static long lastBatch(Path journal) {
    try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
      long size = ch.size();
      int n = (int) Math.min(size, TAIL);
      ByteBuffer b = ByteBuffer.allocate(n);
      long at = size - n;
      while (b.hasRemaining()) {
        int r = ch.read(b, at + b.position());
        if (r < 0) {
          break;
        }
      }
      String tail = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
      int end = tail.lastIndexOf('\n');
      if (end < 0) {
        return -1;
      }
      int start = tail.lastIndexOf('\n', end - 1) + 1;
      if (start == 0 && at > 0) {
        return -1;
      }
      JsonNode line = StoreJson.MAPPER.readTree(tail.substring(start, end));
      JsonNode batch = line == null ? null : line.get("batch");
      return batch != null && batch.canConvertToLong() ? batch.longValue() : -1;
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
