package io.proteus.core.internal.artifacts;

import io.proteus.ArtifactException;
import io.proteus.core.artifacts.Manifest;
import io.proteus.model.JobId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A job's files in a folder. A path is walked one segment at a time from the folder's real path,
 * and every segment must be a real folder (the last one a regular file), never a link; the file is
 * opened with {@code NOFOLLOW_LINKS} and its real path checked after opening, so a link anywhere on
 * the path, or one swapped in meanwhile, is refused. Digests are kept per path and made again when
 * the file's size, modification time or identity changes.
 */
public final class FolderFiles implements JobFiles {
  private final JobId job;
  private final Path root;
  private final Map<String, Known> digests = new ConcurrentHashMap<>();

  /** The files under {@code folder}, which must be a real folder (not a link). */
  public FolderFiles(JobId job, Path folder) throws IOException {
    this.job = job;
    Path real = folder.toRealPath();
    if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(folder.toString(), null, "not a folder");
    }
    this.root = real;
  }

  @Override
  public Optional<OpenFile> open(List<String> segments) throws IOException {
    Path p = root;
    for (int i = 0; i < segments.size(); i++) {
      p = p.resolve(segments.get(i));
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Optional.empty();
      }
      boolean last = i == segments.size() - 1;
      if (a.isSymbolicLink() || (last ? !a.isRegularFile() : !a.isDirectory())) {
        return Optional.empty();
      }
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      if (!p.toRealPath().equals(p)) {
        ch.close();
        return Optional.empty();
      }
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!a.isRegularFile()) {
        ch.close();
        return Optional.empty();
      }
      String sha = digest(String.join("/", segments), a, ch);
      return Optional.of(new ChannelFile(ch, ch.size(), sha));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private String digest(String key, BasicFileAttributes a, FileChannel ch) throws IOException {
    Known k = digests.get(key);
    if (k != null && k.matches(a)) {
      return k.sha256;
    }
    String sha = Sha256.of(ch);
    digests.put(key, new Known(a.size(), a.lastModifiedTime(), a.fileKey(), sha));
    return sha;
  }

  @Override
  public Manifest manifest(ManifestLimits limits) throws IOException {
    List<String> paths = new ArrayList<>();
    long[] bytes = {0};
    Files.walkFileTree(
        root,
        EnumSet.noneOf(java.nio.file.FileVisitOption.class),
        FilePaths.MAX_DEPTH,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(root) || FilePaths.isSegment(dir.getFileName().toString())
                ? FileVisitResult.CONTINUE
                : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && FilePaths.isSegment(file.getFileName().toString())) {
              bytes[0] += attrs.size();
              if (paths.size() >= limits.maxFiles() || bytes[0] > limits.maxBytes()) {
                throw new ArtifactException(
                    ArtifactException.Reason.TOO_LARGE,
                    "job "
                        + job
                        + " has more than "
                        + limits.maxFiles()
                        + " files or "
                        + limits.maxBytes()
                        + " bytes to list");
              }
              StringBuilder rel = new StringBuilder();
              root.relativize(file).forEach(s -> rel.append(rel.isEmpty() ? "" : "/").append(s));
              paths.add(rel.toString());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
    paths.sort(Comparator.naturalOrder());
    List<Manifest.Entry> entries = new ArrayList<>();
    for (String path : paths) {
      Optional<List<String>> segments = FilePaths.split(path);
      if (segments.isEmpty()) {
        continue;
      }
      Optional<OpenFile> f = open(segments.get());
      if (f.isPresent()) {
        try (OpenFile file = f.get()) {
          entries.add(new Manifest.Entry(path, file.size(), file.sha256()));
        }
      }
    }
    return new Manifest(job, entries);
  }

  private record Known(long size, FileTime modified, @Nullable Object key, String sha256) {
    boolean matches(BasicFileAttributes a) {
      return a.size() == size
          && a.lastModifiedTime().equals(modified)
          && Objects.equals(a.fileKey(), key);
    }
  }

  private record ChannelFile(FileChannel channel, long size, String sha256) implements OpenFile {
    @Override
    public void copy(long from, long length, OutputStream out) throws IOException {
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, Math.max(1, length)));
      long pos = from;
      long left = length;
      while (left > 0) {
        buf.clear().limit((int) Math.min(buf.capacity(), left));
        int n = channel.read(buf, pos);
        if (n < 0) {
          throw new IOException("the file got shorter while it was sent");
        }
        out.write(buf.array(), 0, n);
        pos += n;
        left -= n;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
