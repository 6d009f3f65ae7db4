package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinePumpTest {

  /** A stream that hands out its bytes in chunks of seeded random sizes. */
  private static final class Chunky extends InputStream {
    private final byte[] bytes;
    private final Random random;
    private int at;

    Chunky(byte[] bytes, Random random) {
      this.bytes = bytes;
      this.random = random;
    }

    @Override
    public int read() {
      return at < bytes.length ? bytes[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(3000)), bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      return n;
    }
  }

  private static List<String> pump(InputStream in, int cap) {
    List<String> lines = new ArrayList<>();
    new LinePump(in, lines::add, "stdout", cap).run();
    return lines;
  }

  @Test
  void linesOfEveryLengthUnderTheCapArriveWholeHoweverTheReadsFall() {
    for (int seed = 1; seed <= 30; seed++) {
      Random random = new Random(seed);
      List<String> expected = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        int length = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(100);
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < length; j++) {
          line.append((char) ('a' + random.nextInt(26)));
        }
        expected.add(line.toString());
        text.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(pump(new Chunky(bytes, random), 64 * 1024))
          .as("seed %d", seed)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aLineOverTheCapKeepsItsFirstAndLastHalvesAndSaysHowMuchWasDropped() {
    String head = "H".repeat(600);
    String middle = "m".repeat(5000);
    String tail = "T".repeat(400) + "end";
    byte[] bytes = (head + middle + tail + "\nnext\n").getBytes(StandardCharsets.UTF_8);
    List<String> lines = pump(new Chunky(bytes, new Random(7)), 1024);
    assertThat(lines).hasSize(2);
    String cut = lines.get(0);
    assertThat(cut).startsWith("H".repeat(512)).endsWith("T".repeat(400) + "end");
    int dropped = head.length() + middle.length() + tail.length() - 1024;
    assertThat(cut)
        .contains("[proteus: " + dropped + " bytes of this line dropped by the line cap");
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void aLineExactlyAtTheCapIsWhole() {
    String line = "x".repeat(2048);
    assertThat(pump(new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), 2048))
        .containsExactly(line);
  }

  @Test
  void aLastLineWithoutItsEndStillArrives() {
    assertThat(pump(new ByteArrayInputStream("a\rb".getBytes(StandardCharsets.UTF_8)), 256))
        .containsExactly("a", "b");
  }
}
