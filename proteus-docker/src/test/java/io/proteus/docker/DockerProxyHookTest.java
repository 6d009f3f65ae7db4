package io.proteus.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.proteus.spi.ExecSpec;
import io.proteus.spi.ExitStatus;
import io.proteus.testkit.RecordingOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host-side handler a task calls through its proxy hook, and nothing else is reachable. */
class DockerProxyHookTest {
  @TempDir Path ws;

  @BeforeAll
  static void docker() {
    DockerTestSupport.requireDocker();
  }

  @Test
  void aTaskReachesItsProxyHookOnItsPrivateNetwork() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    ProxyHook hook =
        new ProxyHook(
            "license",
            exchange -> {
              requests.add(exchange.getRequestURI().getPath());
              byte[] body = "granted".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
    DockerEngine engine =
        DockerEngine.connect(
            DockerTestSupport.policy(), Optional.empty(), Optional.empty(), List.of(hook));
    RecordingOutput sink = new RecordingOutput();
    ExitStatus s =
        engine
            .start(
                new ExecSpec(
                    List.of(
                        "sh",
                        "-c",
                        "wget -q -O - \"$PROTEUS_PROXY_LICENSE/seat/7\"; echo; ls /sys/class/net"),
                    ws,
                    Map.of(),
                    Optional.empty(),
                    Duration.ofSeconds(60),
                    sink))
            .exit()
            .toCompletableFuture()
            .get(90, TimeUnit.SECONDS);
    assertThat(s.code()).as("output %s", sink.merged()).isZero();
    assertThat(sink.merged()).contains("granted");
    assertThat(requests).containsExactly("/seat/7");
    engine.close();
  }
}
