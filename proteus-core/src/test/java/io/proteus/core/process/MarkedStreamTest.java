package io.proteus.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A command's output read off a launcher's shared stream: the lines a direct start would give. */
class MarkedStreamTest {
  static final String MARKER = "\u00010123456789abcdef0123456789abcdef";

  /** A stream that hands out its bytes in chunks of seeded random sizes, often tiny. */
  static final class Chunky extends InputStream {
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
      int size = random.nextBoolean() ? 1 + random.nextInt(4) : 1 + random.nextInt(3000);
      int n = Math.min(Math.min(len, size), bytes.length - at);
      System.arraycopy(bytes, at, b, off, n);
      at += n;
      return n;
    }
  }

  record Pumped(List<String> lines, Optional<String> trailer, boolean clean) {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Pumped pump(InputStream in, String marker) {
    AtomicReference<Optional<String>> trailer = new AtomicReference<>();
    MarkedStream marked =
        new MarkedStream(
            in, MarkedStream.markerBytes(marker), t -> trailer.set(Optional.ofNullable(t)));
    List<String> lines = new ArrayList<>();
    new LinePump(marked, lines::add, "stdout", 64 * 1024).run();
    return new Pumped(lines, trailer.get(), marked.clean());
  }

  /** What a direct start gives for this output: the pump reads it to its end. */
  static List<String> direct(byte[] output) {
    List<String> lines = new ArrayList<>();
    new LinePump(new ByteArrayInputStream(output), lines::add, "stdout", 64 * 1024).run();
    return lines;
  }

  /** The output as the launcher's stream carries it: then the marker and the exit code. */
  static byte[] launched(byte[] output, String trailer) {
    return launched(output, MARKER, trailer);
  }

  static byte[] launched(byte[] output, String marker, String trailer) {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    s.writeBytes(output);
    s.writeBytes(bytes(marker + trailer + "\n"));
    return s.toByteArray();
  }

  @Test
  void outputWithAndWithoutItsLastNewlineGivesTheLinesADirectStartGives() {
    for (String output : List.of("", "a\n", "a", "a\nb", "a\nb\n", "\n", "\n\n", "a\r", "a\r\n")) {
      Pumped p = pump(new ByteArrayInputStream(launched(bytes(output), " 3")), MARKER);
      assertThat(p.lines()).as("'%s'", output).isEqualTo(direct(bytes(output)));
      assertThat(p.trailer()).contains(" 3");
      assertThat(p.clean()).isTrue();
    }
    assertThat(direct(bytes("a\n"))).containsExactly("a");
    assertThat(direct(bytes("\n"))).containsExactly("");
  }

  @Test
  void prefixesOfTheMarkerAndOtherMarkersAreOutput() {
    List<String> outputs =
        List.of(
            MARKER.substring(0, 10),
            MARKER.substring(0, 32) + "\n",
            "\n" + MARKER.substring(0, 32) + "X 0\n",
            "\n\n\n" + MARKER.substring(0, 5) + "\n" + MARKER.substring(0, 20),
            "\n\u0001fedcba9876543210fedcba9876543210 0\n",
            MARKER.substring(1) + " 0\n",
            "x\n" + MARKER.substring(0, 16) + "\n" + MARKER.substring(16) + " 0\n",
            "\u0001\u0001\u0001" + MARKER.substring(0, 3) + "\r");
    for (String output : outputs) {
      Pumped p = pump(new ByteArrayInputStream(launched(bytes(output), " 0")), MARKER);
      assertThat(p.lines()).as("'%s'", output).isEqualTo(direct(bytes(output)));
      assertThat(p.clean()).isTrue();
    }
  }

  @Test
  void aMarkerWhoseFirstCharactersRepeatIsStillFoundAfterAFalseStart() {
    String marker = "aab";
    byte[] output = bytes("x\naaac aa\naaa\naa\raaa");
    Pumped p = pump(new ByteArrayInputStream(launched(output, marker, " 5")), marker);
    assertThat(p.lines())
        .isEqualTo(direct(output))
        .containsExactly("x", "aaac aa", "aaa", "aa", "aaa");
    assertThat(p.trailer()).contains(" 5");
  }

  @Test
  void aLineIsHandedOnAtItsEndNotWhenMoreOutputComes() throws Exception {
    PipedOutputStream command = new PipedOutputStream();
    PipedInputStream shared = new PipedInputStream(command);
    List<String> lines = new CopyOnWriteArrayList<>();
    AtomicReference<String> trailer = new AtomicReference<>();
    LinePump pump =
        new LinePump(
            new MarkedStream(shared, MarkedStream.markerBytes(MARKER), trailer::set),
            lines::add,
            "stdout",
            1024);
    Thread reader = Thread.ofVirtual().start(pump);
    command.write(bytes("up\n" + MARKER.substring(0, 5) + "\nsecond\r"));
    command.flush();
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.size() == 3);
    assertThat(lines).containsExactly("up", MARKER.substring(0, 5), "second");
    command.write(bytes("last" + MARKER + " 0\n"));
    command.flush();
    assertThat(pump.awaitEnd(Duration.ofSeconds(10))).isTrue();
    reader.join();
    assertThat(lines).containsExactly("up", MARKER.substring(0, 5), "second", "last");
    assertThat(trailer.get()).isEqualTo(" 0");
  }

  @Test
  void linesAreTheSameHoweverTheReadsFall() {
    String[] pieces = {
      "a",
      "bc",
      "\n",
      "\r",
      "\r\n",
      "\n\n",
      MARKER.substring(0, 7),
      "\n" + MARKER.substring(0, 30),
      "\n" + MARKER.substring(0, 12) + "\n",
      "é",
      "x".repeat(300),
      "\n0123"
    };
    for (int seed = 1; seed <= 300; seed++) {
      Random random = new Random(seed);
      StringBuilder output = new StringBuilder();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        output.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] out = bytes(output.toString());
      String code = " " + random.nextInt(256);
      Pumped p = pump(new Chunky(launched(out, code), random), MARKER);
      assertThat(p.lines()).as("seed %d", seed).isEqualTo(direct(out));
      assertThat(p.trailer()).as("seed %d", seed).contains(code);
      assertThat(p.clean()).as("seed %d", seed).isTrue();
    }
  }

  @Test
  void theStreamEndsAtTheTrailerAndWhatFollowsIsNotTheCommands() {
    Pumped p = pump(new ByteArrayInputStream(bytes("one\n" + MARKER + " 0\nnext's\n")), MARKER);
    assertThat(p.lines()).containsExactly("one");
    assertThat(p.trailer()).contains(" 0");
    assertThat(p.clean()).as("bytes after the trailer").isFalse();
  }

  @Test
  void aStreamThatEndsBeforeItsMarkerKeepsEveryByteAndSaysSo() {
    for (String output : List.of("a\nb", "a\n" + MARKER.substring(0, 9), "a\nb" + MARKER)) {
      Pumped p = pump(new ByteArrayInputStream(bytes(output)), MARKER);
      List<String> expected = direct(bytes(output.replace(MARKER, "")));
      assertThat(p.lines()).as("'%s'", output).isEqualTo(expected);
      assertThat(p.trailer()).isEmpty();
      assertThat(p.clean()).isFalse();
    }
  }

  @Test
  void aTrailerTooLongIsNoEnd() {
    Pumped p = pump(new ByteArrayInputStream(launched(bytes("a\n"), " 0".repeat(20))), MARKER);
    assertThat(p.lines()).containsExactly("a");
    assertThat(p.trailer()).isEmpty();
    assertThat(p.clean()).isFalse();
  }

  @Test
  void theSharedStreamStaysReadableForTheNextCommand() {
    String second = "fedcba9876543210fedcba9876543210";
    ByteArrayInputStream shared = new ByteArrayInputStream(bytes("one\n" + MARKER + " 0\n"));
    assertThat(pump(shared, MARKER).lines()).containsExactly("one");
    ByteArrayInputStream rest = new ByteArrayInputStream(bytes("two\n" + second + " 1\n"));
    Pumped p = pump(new java.io.SequenceInputStream(shared, rest), second);
    assertThat(p.lines()).containsExactly("two");
    assertThat(p.trailer()).contains(" 1");
  }
}
