package io.proteus.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
  final List<String> lines = new ArrayList<>();

  @Test
  void linesSplitAcrossChunksAndCarriageReturnsGo() {
    LineSplitter s = new LineSplitter(lines::add, 100);
    s.accept("one\r\ntw".getBytes(StandardCharsets.UTF_8));
    s.accept("o\nthree".getBytes(StandardCharsets.UTF_8));
    s.finish();
    assertThat(lines).containsExactly("one", "two", "three");
  }

  @Test
  void aLongLineIsCutAtTheCapSaysHowMuchWasDroppedAndTheNextLineIsWhole() {
    LineSplitter s = new LineSplitter(lines::add, 1000);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    long total = 0;
    for (int i = 0; i < 160; i++) {
      s.accept(chunk);
      total += chunk.length;
      assertThat(s.buffered()).isLessThanOrEqualTo(1000);
    }
    s.accept("\r\nnext\n".getBytes(StandardCharsets.UTF_8));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("a".repeat(1000) + " [proteus: line cut")
        .contains((total - 1000) + " more bytes dropped");
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void aCutNeverSplitsACharacter() {
    LineSplitter s = new LineSplitter(lines::add, 4);
    s.accept("abcé and more".getBytes(StandardCharsets.UTF_8));
    s.finish();
    assertThat(lines.getFirst()).startsWith("abc [proteus: line cut at 4 bytes, 11 more bytes");
  }

  @Test
  void aSinkThatThrowsDoesNotStopTheLinesAfter() {
    LineSplitter s =
        new LineSplitter(
            l -> {
              if (l.equals("bad")) {
                throw new IllegalStateException("sink broke");
              }
              lines.add(l);
            },
            100);
    s.accept("bad\ngood\n".getBytes(StandardCharsets.UTF_8));
    assertThat(lines).containsExactly("good");
  }
}
