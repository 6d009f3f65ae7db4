package io.proteus.core.artifacts;

import io.proteus.model.JobId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a job's registration serves, each with its size and SHA-256, as {@code GET
 * /v1/jobs/{job}/manifest} gives them. A dispatch carries the digests of the files a task needs, so
 * the worker can check what it downloads; a worker stages from a manifest through {@link
 * ArtifactFetcher#files}.
 *
 * @param job the job
 * @param files every file, in path order, each path once
 */
public record Manifest(JobId job, List<Entry> files) {
  /** Copies the list and checks that no path is listed twice. */
  public Manifest {
    files = List.copyOf(files);
    if (files.stream().map(Entry::path).distinct().count() != files.size()) {
      throw new IllegalArgumentException("a manifest lists a path twice: " + job);
    }
  }

  /** The entry for a relative path, if the manifest lists it. */
  public Optional<Entry> find(String path) {
    return files.stream().filter(e -> e.path().equals(path)).findFirst();
  }

  /** The entries by path, for lookups in a loop. */
  public Map<String, Entry> byPath() {
    Map<String, Entry> out = new HashMap<>();
    files.forEach(e -> out.put(e.path(), e));
    return Map.copyOf(out);
  }

  /** The bytes of every file together. */
  public long totalBytes() {
    return files.stream().mapToLong(Entry::size).sum();
  }

  /**
   * One file.
   *
   * @param path its path relative to the job's root, with {@code /} separators
   * @param size its length in bytes
   * @param sha256 its SHA-256, 64 lower-case hex digits
   */
  public record Entry(String path, long size, String sha256) {
    /** Checks the size is not negative and the digest is lower-case hex of the right length. */
    public Entry {
      if (size < 0 || !sha256.matches("[0-9a-f]{64}") || path.isEmpty()) {
        throw new IllegalArgumentException(
            "a manifest entry needs a path, a size >= 0 and a SHA-256 in hex: " + path);
      }
    }
  }
}
