package io.proteus.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.proteus.model.JobId;
import io.proteus.model.TaskStatus;
import io.proteus.spi.transport.AgentLinkContext;
import io.proteus.spi.transport.CoreMessage;
import io.proteus.testkit.TcpProxy;
import io.proteus.testkit.junit5.Mosquitto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials and TLS on a real mosquitto: a wrong password is a clear error at once with no retry
 * storm, and over TLS neither the password nor a job's artifact token is ever seen in clear.
 */
class MqttSecurityTest {
  private static final String PASSWORD = "s3cret-Pa55word";

  @TempDir Path tmp;

  private Path passwords() throws IOException, InterruptedException {
    Path file = tmp.resolve("passwd");
    Process p =
        new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), "fleet", PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    return file;
  }

  /** How many connections the broker refused as not authorised. */
  private static long refusals(Mosquitto broker) throws IOException {
    Path log = broker.dir().resolve("mosquitto.log");
    if (!Files.exists(log)) {
      return 0;
    }
    return Files.readAllLines(log).stream().filter(l -> l.contains("not authorised")).count();
  }

  @Test
  void aWrongPasswordIsRefusedAtOnceNamingTheBrokerAndIsNotRetried() throws Exception {
    Mosquitto.assumeInstalled();
    try (Mosquitto broker =
        Mosquitto.start(
            tmp.resolve("broker"),
            List.of("allow_anonymous false", "password_file " + passwords()))) {
      MqttAgentLink link =
          MqttAgentLink.create(
              MqttSettings.builder("127.0.0.1", broker.port())
                  .credentials("fleet", "wrong-" + PASSWORD)
                  .build(),
              "a1");
      assertThatThrownBy(() -> link.connect(context("a1")))
          .isInstanceOfSatisfying(
              MqttException.class,
              e -> assertThat(e.reason()).isEqualTo(MqttException.Reason.REFUSED))
          .hasMessageContaining("127.0.0.1:" + broker.port())
          .hasMessageContaining("password")
          .hasMessageNotContaining(PASSWORD);
      await().atMost(Duration.ofSeconds(10)).until(() -> refusals(broker) == 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> refusals(broker) == 1);
    }
  }

  @Test
  void overTlsAFleetRunsAndNoSecretCrossesTheWireInClear() throws Exception {
    Mosquitto.assumeInstalled();
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    selfSigned(key, cert);
    TrustManagerFactory trust = trust(cert);
    try (Mosquitto broker =
            Mosquitto.start(
                tmp.resolve("broker"),
                List.of(
                    "allow_anonymous false",
                    "password_file " + passwords(),
                    "certfile " + cert,
                    "keyfile " + key));
        Fleet fleet =
            new Fleet(
                tmp.resolve("fleet"),
                broker.port(),
                b -> b.tls(trust).credentials("fleet", PASSWORD))) {
      Mqtt5BlockingClient spy =
          MqttClient.builder()
              .useMqttVersion5()
              .identifier("spy")
              .serverHost("127.0.0.1")
              .serverPort(broker.port())
              .sslConfig()
              .trustManagerFactory(trust)
              .applySslConfig()
              .simpleAuth()
              .username("fleet")
              .password(PASSWORD.getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth()
              .buildBlocking();
      try (Mqtt5BlockingClient.Mqtt5Publishes seen = spy.publishes(MqttGlobalPublishFilter.ALL)) {
        spy.connect();
        spy.subscribeWith().topicFilter("proteus/v1/#").qos(MqttQos.AT_LEAST_ONCE).send();
        fleet.agent("a1");
        JobId job = fleet.submit(List.of(Fleet.test("t", 0, 0)));
        assertThat(fleet.awaitDone(job).tasks().getFirst().status()).isEqualTo(TaskStatus.PASSED);
        String token = artifactToken(seen);
        for (TcpProxy proxy : List.of(fleet.coreProxy, fleet.proxies.get("a1"))) {
          String wire = new String(proxy.seen(), StandardCharsets.ISO_8859_1);
          assertThat(wire.length()).isGreaterThan(1000);
          assertThat(wire)
              .doesNotContain(PASSWORD)
              .doesNotContain(token)
              .doesNotContain("dispatch");
        }
        spy.disconnect();
      }
    }
    MqttAgentLink untrusting =
        MqttAgentLink.create(
            MqttSettings.builder("127.0.0.1", 1).connectTimeout(Duration.ofSeconds(2)).build(),
            "a2");
    assertThatThrownBy(() -> untrusting.connect(context("a2"))).isInstanceOf(MqttException.class);
  }

  @Test
  void aClientThatDoesNotTrustTheBrokersCertificateGetsATlsError() throws Exception {
    Mosquitto.assumeInstalled();
    Path cert = tmp.resolve("cert.pem");
    Path key = tmp.resolve("key.pem");
    Path other = tmp.resolve("other.pem");
    selfSigned(key, cert);
    selfSigned(tmp.resolve("other-key.pem"), other);
    try (Mosquitto broker =
        Mosquitto.start(
            tmp.resolve("broker"),
            List.of("allow_anonymous true", "certfile " + cert, "keyfile " + key))) {
      MqttAgentLink link =
          MqttAgentLink.create(
              MqttSettings.builder("127.0.0.1", broker.port())
                  .tls(trust(other))
                  .connectTimeout(Duration.ofSeconds(5))
                  .build(),
              "a1");
      assertThatThrownBy(() -> link.connect(context("a1")))
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.reason()).isEqualTo(MqttException.Reason.TLS));
    }
  }

  private static String artifactToken(Mqtt5BlockingClient.Mqtt5Publishes seen)
      throws InterruptedException {
    Pattern credential = Pattern.compile("\"credential\":\"([^\"]+)\"");
    while (true) {
      Optional<Mqtt5Publish> m = seen.receive(10, TimeUnit.SECONDS);
      assertThat(m).as("a dispatch seen by a trusted subscriber").isPresent();
      Matcher found =
          credential.matcher(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
      if (found.find()) {
        return found.group(1);
      }
    }
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
  private static void selfSigned(Path key, Path cert) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  private static TrustManagerFactory trust(Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      store.setCertificateEntry(
          "broker", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f;
  }

  private static AgentLinkContext context(String id) {
    return new AgentLinkContext() {
      @Override
      public String agentId() {
        return id;
      }

      @Override
      public void connected() {}

      @Override
      public void received(CoreMessage message) {}

      @Override
      public void disconnected(String reason) {}
    };
  }
}
