package io.proteus.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfinementTest {
  final Path root = Path.of("/work/build");

  @Test
  void relativePathsLandBelowTheRoot() {
    assertThat(Confinement.below(root, "bin/fw")).contains(Path.of("/work/build/bin/fw"));
    assertThat(Confinement.below(root, "./bin//fw")).contains(Path.of("/work/build/bin/fw"));
    assertThat(Confinement.below(Path.of("/work/./build"), "a")).contains(root.resolve("a"));
  }

  @Test
  void pathsThatLeaveOrNameTheRootAreRefused() {
    for (String bad :
        new String[] {
          "",
          ".",
          "./",
          "..",
          "../x",
          "a/../../x",
          "a/..",
          "a\\..\\..\\x",
          "/etc/passwd",
          "\\x",
          "C:/x",
          "c:x",
          "a\0b"
        }) {
      assertThat(Confinement.below(root, bad)).as(bad).isEmpty();
    }
  }

  @Test
  void theTextRulesSayWhichRuleIsBroken() {
    assertThat(Confinement.isAbsolute("/a")).isTrue();
    assertThat(Confinement.isAbsolute("\\a")).isTrue();
    assertThat(Confinement.isAbsolute("Z:a")).isTrue();
    assertThat(Confinement.isAbsolute("1:a")).isFalse();
    assertThat(Confinement.isAbsolute("a/b")).isFalse();
    assertThat(Confinement.hasParentStep("a/../b")).isTrue();
    assertThat(Confinement.hasParentStep("a\\..")).isTrue();
    assertThat(Confinement.hasParentStep("a/..b/c..")).isFalse();
    assertThat(Confinement.isRelativeInside("a/..b")).isTrue();
  }

  @Test
  void aChildIsOneNameDirectlyBelowTheRoot() {
    assertThat(Confinement.child(root, "gradle")).contains(root.resolve("gradle"));
    assertThat(Confinement.child(root, "a/b")).isEmpty();
    assertThat(Confinement.child(root, "..")).isEmpty();
    assertThat(Confinement.child(root, "a/..")).isEmpty();
  }
}
