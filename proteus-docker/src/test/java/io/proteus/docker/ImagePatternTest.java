package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allowlist rule: names normalised as Docker does, tags matched only for references without a
 * digest, digests allowed only by untagged unpinned patterns or by a pin on that digest. Seeded
 * random references check the matcher against a model written apart from it.
 */
class ImagePatternTest {
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);

  static boolean allows(String pattern, String ref) {
    return new ImagePattern(pattern).allows(ImageRef.parse(ref));
  }

  @Test
  void aDigestNextToAnAllowedTagIsNotAllowed() {
    assertThat(allows("app:stable", "app:stable")).isTrue();
    assertThat(allows("app:stable", "app:stable@" + D2)).isFalse();
    assertThat(allows("app:stable", "app@" + D2)).isFalse();
    assertThat(allows("app:stable@" + D1, "app:stable@" + D2)).isFalse();
    assertThat(allows("app:stable@" + D1, "app:stable@" + D1)).isTrue();
    assertThat(allows("app@" + D1, "app@" + D1)).isTrue();
    assertThat(allows("app@" + D1, "app:anything@" + D1)).isTrue();
    assertThat(allows("app", "app@" + D2)).as("no tag, no pin: any digest").isTrue();
    assertThat(allows("app", "app:9")).isTrue();
    assertThat(allows("app:1.*", "app:1.2")).isTrue();
    assertThat(allows("app:1.*", "app:2.0")).isFalse();
  }

  @Test
  void namesAreNormalisedAsDockerDoes() {
    for (String spelling :
        List.of(
            "busybox",
            "library/busybox",
            "docker.io/busybox",
            "docker.io/library/busybox",
            "index.docker.io/library/busybox",
            "DOCKER.IO/library/busybox")) {
      assertThat(allows("busybox", spelling + ":1")).as(spelling).isTrue();
      assertThat(allows("docker.io/library/busybox:1", spelling + ":1")).as(spelling).isTrue();
      assertThat(allows("*", spelling + ":1")).as(spelling).isTrue();
      assertThat(allows("team/*", spelling + ":1")).as(spelling).isFalse();
    }
    assertThat(allows("team/*", "docker.io/team/app")).isTrue();
    assertThat(allows("busybox", "evil.example.com/busybox")).isFalse();
    assertThat(allows("**", "evil.example.com/a/b:1")).isTrue();
    assertThat(allows("proteus-test/*", "proteus-test/busybox:1")).isTrue();
    assertThat(allows("proteus-test/*", "proteus-test/a/b:1")).isFalse();
    assertThat(allows("proteus-test/**", "proteus-test/a/b:1")).isTrue();
  }

  @Test
  void registryPortsAreNotTags() {
    assertThat(allows("localhost:5000/app", "localhost:5000/app:1")).isTrue();
    assertThat(allows("localhost:5000/app", "localhost:5001/app:1")).isFalse();
    assertThat(allows("localhost:5000/*", "localhost:5000/app")).isTrue();
    assertThat(allows("localhost:5000/app:1", "localhost:5000/app:2")).isFalse();
    assertThat(allows("Reg.Example.com:443/ci/*", "reg.example.com:443/ci/x:1")).isTrue();
    assertThat(ImageRef.parse("localhost:5000/app").tag()).contains("latest");
  }

  @Test
  void upperCasePathsAndBadDigestsAreNotImageNames() {
    assertThatThrownBy(() -> ImageRef.parse("Team/App:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("team/App:1")).hasMessageContaining("lower case");
    assertThatThrownBy(() -> ImageRef.parse("app@sha256:" + "A".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ImageRef.parse("app@sha256:123")).hasMessageContaining("digest");
    assertThatThrownBy(() -> ImageRef.parse("app:" + "t".repeat(129))).hasMessageContaining("tag");
    assertThatThrownBy(() -> ImageRef.parse("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImagePattern("app@sha256:short"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- seeded random references against a model ----

  record Ref(String registry, String namespace, String name, String tag, String digest) {
    String text() {
      return registry
          + namespace
          + name
          + (tag == null ? "" : ":" + tag)
          + (digest == null ? "" : "@" + digest);
    }

    String modelDomain() {
      if (registry.isEmpty()) {
        return "docker.io";
      }
      String d = registry.substring(0, registry.length() - 1).toLowerCase(Locale.ROOT);
      return d.equals("index.docker.io") ? "docker.io" : d;
    }

    String modelPath() {
      String p = namespace + name;
      return modelDomain().equals("docker.io") && namespace.isEmpty() ? "library/" + p : p;
    }
  }

  static final List<String> REGISTRIES =
      List.of(
          "",
          "docker.io/",
          "index.docker.io/",
          "Docker.IO/",
          "localhost/",
          "localhost:5000/",
          "reg.example.com/",
          "REG.example.com:443/");
  static final List<String> NAMESPACES = List.of("", "library/", "team/", "a/b/");
  static final List<String> NAMES = List.of("app", "app-x", "my_app", "x.y", "busybox");
  static final List<String> TAGS = List.of("1", "1.2", "stable", "Latest", "latest", "v_2-rc");
  static final List<String> DIGESTS = List.of(D1, D2);

  static <T> T pick(Random r, List<T> from) {
    return from.get(r.nextInt(from.size()));
  }

  static Ref randomRef(Random r) {
    return new Ref(
        pick(r, REGISTRIES),
        pick(r, NAMESPACES),
        pick(r, NAMES),
        r.nextInt(3) == 0 ? null : pick(r, TAGS),
        r.nextInt(3) == 0 ? pick(r, DIGESTS) : null);
  }

  /** A pattern made from a reference's parts, some replaced by globs; and the model's verdict. */
  record Pat(String text, Pattern modelName, String modelTag, String modelPin) {}

  static Pat randomPattern(Random r) {
    Ref base = randomRef(r);
    String domain = base.modelDomain();
    String path = base.modelPath();
    String writtenName = base.registry() + base.namespace() + base.name();
    String nameRegex = Pattern.quote(domain + "/" + path);
    int glob = r.nextInt(5);
    if (glob == 1) {
      writtenName = base.registry() + base.namespace() + "*";
      String p = base.modelPath();
      nameRegex = Pattern.quote(domain + "/" + p.substring(0, p.lastIndexOf('/') + 1)) + "[^/]*";
    } else if (glob == 2) {
      writtenName = "**";
      nameRegex = ".*";
    }
    String tag = r.nextInt(2) == 0 ? null : pick(r, TAGS);
    String pin = r.nextInt(3) == 0 ? pick(r, DIGESTS) : null;
    String text = writtenName + (tag == null ? "" : ":" + tag) + (pin == null ? "" : "@" + pin);
    return new Pat(text, Pattern.compile(nameRegex), tag, pin);
  }

  static boolean model(Pat p, Ref ref) {
    if (!p.modelName().matcher(ref.modelDomain() + "/" + ref.modelPath()).matches()) {
      return false;
    }
    if (ref.digest() != null) {
      return p.modelPin() == null ? p.modelTag() == null : p.modelPin().equals(ref.digest());
    }
    String tag = ref.tag() == null ? "latest" : ref.tag();
    return p.modelTag() == null || p.modelTag().equals(tag);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 1234, 99991, 20261123, 7_000_000_007L})
  void theMatcherAgreesWithTheModelOnRandomReferences(long seed) {
    Random r = new Random(seed);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < 3000 && disagreements.size() < 5; i++) {
      Pat p = randomPattern(r);
      Ref ref = randomRef(r);
      boolean got = allows(p.text(), ref.text());
      if (got != model(p, ref)) {
        disagreements.add(p.text() + " vs " + ref.text() + ": matcher says " + got);
      }
      if (ref.digest() != null && p.modelPin() == null && p.modelTag() != null) {
        assertThat(got).as("seed %d: %s allows %s", seed, p.text(), ref.text()).isFalse();
      }
    }
    assertThat(disagreements).as("seed %d", seed).isEmpty();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 6, 77, 31337})
  void everySpellingOfAReferenceGetsTheSameAnswer(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      Pat p = randomPattern(r);
      Ref ref = randomRef(r);
      if (!ref.modelDomain().equals("docker.io")) {
        continue;
      }
      String rest =
          (ref.tag() == null ? "" : ":" + ref.tag())
              + (ref.digest() == null ? "" : "@" + ref.digest());
      String path = ref.modelPath();
      List<String> spellings =
          new ArrayList<>(
              List.of(
                  "docker.io/" + path + rest,
                  "index.docker.io/" + path + rest,
                  "DOCKER.io/" + path + rest));
      if (path.startsWith("library/")) {
        spellings.add(path.substring("library/".length()) + rest);
        spellings.add(path + rest);
      }
      boolean first = allows(p.text(), spellings.getFirst());
      for (String s : spellings) {
        assertThat(allows(p.text(), s))
            .as("seed %d: %s against %s and %s", seed, p.text(), s, spellings.getFirst())
            .isEqualTo(first);
      }
    }
  }
}
