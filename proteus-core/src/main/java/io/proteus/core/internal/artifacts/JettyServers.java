package io.proteus.core.internal.artifacts;

import java.security.KeyStore;
import java.time.Duration;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Jetty server behind the artifact server: one connector (TLS when a key store is given,
 * plain HTTP/1.1 otherwise), virtual threads capped at {@code maxThreads}, at most {@code
 * maxConnections} open connections, 16 KiB of request headers, an idle timeout, no request log, no
 * server version, and error answers of one plain line (no page, no echo). Jetty's own URI checks
 * are off ({@code UNSAFE}) so that every ambiguous path reaches {@link FilePaths}, which refuses it
 * with the same 404 as a missing file.
 */
public final class JettyServers {
  private JettyServers() {}

  /**
   * The settings of one server.
   *
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param keyStore the TLS key store, or null for plain HTTP
   * @param keyPassword the key's password in the key store
   * @param maxThreads the most threads handling requests at once
   * @param maxConnections the most open connections
   * @param idleTimeout how long a connection may be idle (also bounds a stalled read or write)
   */
  public record Settings(
      String host,
      int port,
      @Nullable KeyStore keyStore,
      @Nullable String keyPassword,
      int maxThreads,
      int maxConnections,
      Duration idleTimeout) {}

  /** A server (not started) that runs {@code handler}. */
  public static Server create(Settings s, Handler handler) {
    VirtualThreadPool threads = new VirtualThreadPool(s.maxThreads());
    threads.setName("proteus-artifacts");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(16 * 1024);
    http.setResponseHeaderSize(8 * 1024);
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setIdleTimeout(s.idleTimeout().toMillis());
    ConnectionFactory[] factories;
    if (s.keyStore() != null) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setKeyStore(s.keyStore());
      if (s.keyPassword() != null) {
        tls.setKeyManagerPassword(s.keyPassword());
      }
      tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      factories =
          new ConnectionFactory[] {
            new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http)
          };
    } else {
      factories = new ConnectionFactory[] {new HttpConnectionFactory(http)};
    }
    ServerConnector connector = new ServerConnector(server, 1, 1, factories);
    connector.setHost(s.host());
    connector.setPort(s.port());
    connector.setIdleTimeout(s.idleTimeout().toMillis());
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(s.maxConnections(), connector));
    server.setErrorHandler(new PlainErrors());
    server.setHandler(handler);
    server.setStopTimeout(5_000);
    return server;
  }
}
