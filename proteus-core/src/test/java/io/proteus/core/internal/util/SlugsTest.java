package io.proteus.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlugsTest {
  @Test
  void runsOfOtherCharactersBecomeOneUnderscore() {
    assertThat(Slugs.of("my plan/linux x64", 100)).isEqualTo("my_plan_linux_x64");
    assertThat(Slugs.of("a-b.c_d", 100)).isEqualTo("a-b.c_d");
    assertThat(Slugs.of("caf\u00e9 \uD83D\uDE00!", 100)).isEqualTo("caf_");
    assertThat(Slugs.part("a-b c", 100)).isEqualTo("a_b_c");
  }

  @Test
  void aSlugIsNeverDotDotHiddenOrEmpty() {
    assertThat(Slugs.of("..", 100)).isEqualTo("_.");
    assertThat(Slugs.of(".", 100)).isEqualTo("_");
    assertThat(Slugs.of(".bashrc", 100)).isEqualTo("_bashrc");
    assertThat(Slugs.of("", 100)).isEqualTo("_");
    assertThat(Slugs.part("", 40)).isEqualTo("_");
  }

  @Test
  void slugsAreCut() {
    assertThat(Slugs.of("x".repeat(100), 60)).hasSize(60);
    assertThat(Slugs.part("y".repeat(100), 40)).hasSize(40);
    assertThatThrownBy(() -> Slugs.of("x", 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Whatever the name, its slug is one plain segment that resolves to a child of its folder. */
  @Test
  void everySlugIsOneSafeSegment() {
    Random random = new Random(20261203L);
    Path root = Path.of("/r");
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(12);
      for (int k = 0; k < n; k++) {
        b.append(
            random.nextInt(4) == 0
                ? "./\\\0:".charAt(random.nextInt(5))
                : (char) random.nextInt(0x3000));
      }
      String slug = Slugs.of(b.toString(), 1 + random.nextInt(20));
      assertThat(slug).matches("[A-Za-z0-9_-][A-Za-z0-9._-]*");
      assertThat(Confinement.child(root, slug)).contains(root.resolve(slug));
    }
  }
}
