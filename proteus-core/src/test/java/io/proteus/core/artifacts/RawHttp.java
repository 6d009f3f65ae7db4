package io.proteus.core.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare HTTP/1.1 client over a socket, so a test can send a request line exactly as written
 * (OkHttp and the JDK's client normalize {@code ..} and encodings away).
 */
final class RawHttp {
  private RawHttp() {}

  /** An answer: status, headers by lower-case name, body. */
  @SuppressWarnings("ArrayRecordComponent")
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Answer get(int port, String target, String... headerLines) throws IOException {
    return send(port, "GET", target, null, headerLines);
  }

  static Answer send(int port, String method, String target, byte[] body, String... headerLines)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 5_000);
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder();
      req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      req.append("Host: 127.0.0.1:").append(port).append("\r\n");
      req.append("Connection: close\r\n");
      for (String h : headerLines) {
        req.append(h).append("\r\n");
      }
      if (body != null) {
        req.append("Content-Length: ").append(body.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(s.getInputStream(), method.equals("HEAD"));
    }
  }

  private static Answer read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      all.write(buf, 0, n);
      if (all.size() > 8 << 20) {
        throw new IOException("answer too large for a test");
      }
    }
    byte[] bytes = all.toByteArray();
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete head in: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.merge(
          lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(c + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if (!head && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static byte[] unchunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int eol = i;
      while (body[eol] != '\r') {
        eol++;
      }
      int len =
          Integer.parseInt(new String(body, i, eol - i, StandardCharsets.US_ASCII).trim(), 16);
      if (len == 0) {
        break;
      }
      out.write(body, eol + 2, len);
      i = eol + 2 + len + 2;
    }
    return out.toByteArray();
  }
}
