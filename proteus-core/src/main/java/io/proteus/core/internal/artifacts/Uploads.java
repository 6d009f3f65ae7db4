package io.proteus.core.internal.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proteus.ArtifactException;
import io.proteus.ArtifactException.Reason;
import io.proteus.core.artifacts.ArtifactFetcher;
import java.io.IOException;
import java.nio.file.Path;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Log uploads: a {@code PUT} of the file, retried on transient failures (it is idempotent). */
public final class Uploads {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");

  private Uploads() {}

  /** Uploads {@code log} to {@code url}; what the server stored. */
  public static ArtifactFetcher.LogReceipt put(
      OkHttpClient client, Retries retries, HttpUrl url, String token, Path log) {
    String what = "log upload " + url.encodedPath();
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        retries.pause(attempt);
      }
      Request req =
          new Request.Builder()
              .url(url)
              .header("Authorization", "Bearer " + token)
              .put(RequestBody.create(log.toFile(), TEXT))
              .build();
      try (Response resp = client.newCall(req).execute()) {
        if (resp.code() == 201) {
          JsonNode body = JSON.readTree(resp.body().byteStream().readNBytes(4096));
          return new ArtifactFetcher.LogReceipt(
              body.path("size").asLong(-1), body.path("sha256").asText(""));
        }
        Fetching.check(resp.code(), what);
        if (attempt >= retries.maxAttempts()) {
          throw new ArtifactException(
              Reason.UNAVAILABLE,
              what + ": the server answered " + resp.code() + " " + attempt + " times");
        }
      } catch (IOException e) {
        if (attempt >= retries.maxAttempts()) {
          throw new ArtifactException(
              Reason.UNAVAILABLE,
              what + ": still failing after " + attempt + " tries: " + e.getMessage(),
              e);
        }
      }
    }
  }
}
