package io.proteus.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every image a Dockerfile can pull is found, however it is written; what cannot be told is
 * refused.
 */
class DockerfileCheckTest {
  static List<String> images(String dockerfile) {
    return DockerfileCheck.check(dockerfile.getBytes(StandardCharsets.UTF_8)).images().stream()
        .map(DockerfileCheck.Use::image)
        .toList();
  }

  static void refused(String dockerfile, String why) {
    assertThatThrownBy(() -> images(dockerfile))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("refused by the Docker policy")
        .hasMessageContaining(why);
  }

  @Test
  void stagesAreNotImagesButEveryOtherSourceIs() {
    assertThat(
            images(
                "FROM base:1 AS Build\n"
                    + "RUN make\n"
                    + "FROM build\n"
                    + "COPY --from=build /a /b\n"
                    + "COPY --from=0 /a /b\n"
                    + "COPY --from=evil/copy /a /b\n"
                    + "add --from=evil/add /a /b\n"
                    + "COPY --from=7 /a /b\n"
                    + "RUN --mount=type=cache,from=evil/cache,target=/c make\n"
                    + "RUN --mount=\"type=bind,from=evil/bind,target=/d\" --network=none make\n"
                    + "ONBUILD COPY --from=evil/onbuild / /\n"
                    + "FROM scratch\n"))
        .containsExactly(
            "base:1", "evil/copy", "evil/add", "7", "evil/cache", "evil/bind", "evil/onbuild");
  }

  @Test
  void flagsAreSplitAsDockerSplitsThem() {
    assertThat(images("FROM a\nCOPY --chown=\"a b\" --from=evil/quoted /x /y\n"))
        .containsExactly("a", "evil/quoted");
    assertThat(images("FROM a\nCOPY --from=\"evil/q2\" /x /y\n")).containsExactly("a", "evil/q2");
    assertThat(images("FROM a\nCOPY -- --from=x /y\n")).containsExactly("a");
    assertThat(images("FROM --platform=linux/amd64 evil/platform AS p\n"))
        .containsExactly("evil/platform");
  }

  @Test
  void continuationsCommentsAndTheEscapeDirectiveAreHonoured() {
    assertThat(images("FROM \\\n  # a comment inside\n\n  evil/continued\n"))
        .containsExactly("evil/continued");
    assertThat(images("# escape=`\nFROM `\n  evil/backtick\nCOPY --from=evil/bt2 `\n /a /b\n"))
        .containsExactly("evil/backtick", "evil/bt2");
    assertThat(images("\uFEFF# check=skip=all\r\nFROM evil/crlf\r\n")).containsExactly("evil/crlf");
  }

  @Test
  void fromVariablesResolveFromTheDefaultsOfGlobalArgsOnly() {
    assertThat(images("ARG BASE=evil/arg\nFROM ${BASE}\n")).containsExactly("evil/arg");
    assertThat(images("ARG REPO=evil ARG2=x\nARG TAG=\"1\"\nFROM $REPO/img:${TAG}\n"))
        .containsExactly("evil/img:1");
    assertThat(images("ARG V=1\nFROM img:${V:-2}\nFROM img:${U:-3}\nFROM img${U:+x}:4\n"))
        .containsExactly("img:1", "img:3", "img:4");
    assertThat(images("ARG A=good\nFROM x\nARG A=evil\nFROM $A\n")).containsExactly("x", "good");
    assertThat(images("ARG A=one\nARG B=${A}-two\nFROM img:$B\n")).containsExactly("img:one-two");
    assertThat(images("FROM 'literal$X'\n")).containsExactly("literal$X");
  }

  @Test
  void whatCannotBeToldIsRefused() {
    refused("ARG BASE\nFROM $BASE\n", "an ARG without a default");
    refused("FROM ${NOWHERE}\n", "which no ARG before the first FROM declares");
    refused("FROM ${TARGETARCH:-amd64}/img\n", "which Docker sets by itself");
    refused("ARG X=a\nFROM ${X#a}\n", "does not read");
    refused("FROM a\nCOPY --from=${STAGE} / /\n", "uses a variable");
    refused("FROM a\nRUN --mount=from=$IMG,target=/x true\n", "uses a variable");
    refused("# syntax=evil/frontend:1\nFROM a\n", "frontend image evil/frontend:1");
    refused("FROM a b c d\n", "is not FROM image [AS name]");
  }

  @Test
  void triggersOfABaseImageAreCheckedWithTheStagesBeforeIt() {
    var base = new DockerfileCheck.Base("base:1", Set.of("builder"), 1);
    assertThat(
            DockerfileCheck.triggers(
                    List.of(
                        "COPY --from=builder / /",
                        "COPY --from=0 / /",
                        "RUN --mount=from=evil/t true"),
                    base)
                .stream()
                .map(DockerfileCheck.Use::image))
        .containsExactly("evil/t");
  }
}
