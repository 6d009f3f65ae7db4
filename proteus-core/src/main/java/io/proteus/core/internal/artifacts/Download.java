package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file's download into the cache's partial folder: the bytes are hashed as they are written; a
 * broken transfer is resumed from the partial's length with {@code Range} (and {@code If-Range} on
 * the expected digest), and started over when the server sends the whole file instead; the file
 * enters the cache only when its length and SHA-256 are the expected ones.
 */
final class Download {
  private static final Logger log = LoggerFactory.getLogger(Download.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final OkHttpClient client;
  private final Retries retries;
  private final HttpUrl url;
  private final String token;
  private final String sha;
  private final long size;
  private final String what;
  private final MessageDigest md = Sha256.digest();
  private long written;

  Download(
      OkHttpClient client,
      Retries retries,
      HttpUrl url,
      String token,
      String sha,
      long size,
      String what) {
    this.client = client;
    this.retries = retries;
    this.url = url;
    this.token = token;
    this.sha = sha;
    this.size = size;
    this.what = what;
  }

  /** Downloads into {@code partial}; on any failure the partial is deleted. */
  void into(Path partial) {
    boolean done = false;
    try (FileChannel out =
        FileChannel.open(
            partial,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int attempt = 1; ; attempt++) {
        if (attempt > 1) {
          retries.pause(attempt);
        }
        try {
          if (once(out)) {
            out.force(true);
            done = true;
            return;
          }
        } catch (IOException e) {
          if (attempt >= retries.maxAttempts()) {
            throw new ArtifactException(
                Reason.UNAVAILABLE,
                what + ": still failing after " + attempt + " tries: " + e.getMessage(),
                e);
          }
          log.warn(
              "{}: try {} failed ({}), {} bytes kept; trying again",
              what,
              attempt,
              e.toString(),
              written);
        }
      }
    } catch (IOException e) {
      throw new ArtifactException(
          Reason.IO, what + ": cannot write the cache: " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // the next start of the cache removes it
        }
      }
    }
  }

  /**
   * One request. True when the file is complete and checked; an {@link IOException} for a failure
   * worth another try; an {@link ArtifactException} for one that is not.
   */
  private boolean once(FileChannel out) throws IOException {
    Request.Builder rb =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + token)
            .header("Accept-Encoding", "identity");
    long from = written;
    out.truncate(from);
    out.position(from);
    if (from > 0) {
      rb.header("Range", "bytes=" + from + "-").header("If-Range", "\"" + sha + "\"");
    }
    try (Response resp = client.newCall(rb.build()).execute()) {
      int code = resp.code();
      if (code == 200) {
        restart(out);
        long length = resp.body().contentLength();
        if (length >= 0 && length != size) {
          throw sizeMismatch(length);
        }
      } else if (code == 206) {
        Matcher m = CONTENT_RANGE.matcher(String.valueOf(resp.header("Content-Range")));
        if (m.matches() && Long.parseLong(m.group(3)) != size) {
          throw sizeMismatch(Long.parseLong(m.group(3)));
        }
        if (!m.matches() || Long.parseLong(m.group(1)) != from) {
          restart(out);
          throw new IOException("the server sent another range than asked: start over");
        }
      } else if (code == 416) {
        restart(out);
        throw new IOException("the server could not resume at " + from + ": start over");
      } else {
        Fetching.check(code, what);
        throw new IOException("the server answered " + code);
      }
      ResponseBody body = resp.body();
      copy(body.byteStream(), out);
    }
    if (written < size) {
      throw new IOException("the transfer ended at " + written + " of " + size + " bytes");
    }
    String got = Sha256.hex(md);
    if (!got.equals(sha)) {
      throw new ArtifactException(
          Reason.DIGEST_MISMATCH,
          what + ": the bytes' SHA-256 is " + got + ", not the expected " + sha + ": nothing kept");
    }
    return true;
  }

  private ArtifactException sizeMismatch(long length) {
    return new ArtifactException(
        Reason.SIZE_MISMATCH,
        what
            + ": the server has "
            + length
            + " bytes, not the expected "
            + size
            + ": nothing kept");
  }

  private void restart(FileChannel out) throws IOException {
    out.truncate(0);
    out.position(0);
    md.reset();
    written = 0;
  }

  private void copy(InputStream in, FileChannel out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    int n;
    while ((n = in.read(buf)) > 0) {
      if (written + n > size) {
        throw new ArtifactException(
            Reason.SIZE_MISMATCH,
            what + ": the server sent more than the expected " + size + " bytes: nothing kept");
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
      while (bb.hasRemaining()) {
        out.write(bb);
      }
      md.update(buf, 0, n);
      written += n;
    }
  }
}
