package io.proteus.core.artifacts;

import static io.proteus.core.artifacts.TestServers.sha;
import static io.proteus.core.artifacts.TestServers.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.proteus.ArtifactException;
import io.proteus.model.JobId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a self-signed certificate made by keytool in the test, trusted through a trust store.
 */
class ArtifactTlsTest {
  static final char[] PASSWORD = "test-only-password".toCharArray();

  @TempDir static Path keysDir;
  static KeyStore keys;
  static KeyStore trust;

  @TempDir Path tmp;
  ArtifactServer server;
  ArtifactServer.Registration reg;

  @BeforeAll
  static void makeCertificate() throws Exception {
    keys = selfSigned(keysDir.resolve("server.p12"));
    trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    Certificate cert = keys.getCertificate("proteus");
    trust.setCertificateEntry("proteus", cert);
  }

  @BeforeEach
  void start() throws Exception {
    write(tmp.resolve("job"), "bin/app", "over tls");
    server = ArtifactServer.builder().tls(keys, PASSWORD).build();
    server.start();
    reg = server.register(new JobId("job-1"), tmp.resolve("job"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static KeyStore selfSigned(Path file) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "proteus",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .redirectOutput(file.resolveSibling("keytool.out").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(() -> readQuietly(file.resolveSibling("keytool.out"))).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void theFetcherTrustsTheServerThroughTheGivenTrustStore() {
    assertThat(reg.baseUrl().getScheme()).isEqualTo("https");
    try (ArtifactFetcher f =
        ArtifactFetcher.builder(tmp.resolve("cache")).trustStore(trust).build()) {
      Path p = f.fetch(reg.baseUrl(), reg.token(), "bin/app", sha("over tls"), 8);
      assertThat(p).hasContent("over tls");
      assertThat(f.manifest(reg.baseUrl(), reg.token()).files()).hasSize(1);
    }
  }

  @Test
  void aFetcherWithTlsRefusesPlainHttp() {
    try (ArtifactFetcher f =
        ArtifactFetcher.builder(tmp.resolve("cache")).trustStore(trust).build()) {
      String plain = reg.baseUrl().toString().replace("https:", "http:");
      assertThatThrownBy(
              () -> f.fetch(java.net.URI.create(plain), reg.token(), "bin/app", sha("over tls"), 8))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TLS is configured");
    }
  }

  @Test
  void aFetcherThatDoesNotTrustTheCertificateGetsNothing() {
    try (ArtifactFetcher f =
        ArtifactFetcher.builder(tmp.resolve("cache"))
            .retries(1, Duration.ZERO, Duration.ZERO)
            .build()) {
      assertThatThrownBy(() -> f.fetch(reg.baseUrl(), reg.token(), "bin/app", sha("over tls"), 8))
          .isInstanceOfSatisfying(
              ArtifactException.class,
              e -> assertThat(e.reason()).isEqualTo(ArtifactException.Reason.UNAVAILABLE))
          .hasMessageNotContaining(reg.token());
      assertThat(f.cachedBytes()).isZero();
    }
  }

  @Test
  void plainHttpToATlsPortGetsNoFile() throws IOException {
    RawHttp.Answer a;
    try {
      a = RawHttp.get(server.port(), "/v1/jobs/job-1/files/bin/app", TestServers.bearer(reg));
    } catch (IOException e) {
      return; // the server closed the connection: nothing was served
    }
    assertThat(a.status()).isIn(400, 426);
    assertThat(List.of(a.text())).noneMatch(t -> t.contains("over tls"));
  }
}
