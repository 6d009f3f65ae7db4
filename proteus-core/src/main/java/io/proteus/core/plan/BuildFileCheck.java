package io.proteus.core.plan;

import io.proteus.PlanException;
import io.proteus.SourceLocation;
import io.proteus.core.internal.util.Confinement;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a file a plan names is a regular file of its build, reached through no link: what a
 * worker can stage. With no build root (a plan read on its own) it checks nothing.
 */
final class BuildFileCheck {
  private final @Nullable Path root;

  BuildFileCheck(@Nullable Path root) {
    this.root = root;
  }

  /** Returns {@code relative} if the build holds it; else a located error naming it. */
  String check(SourceLocation at, String field, String relative) {
    if (root == null) {
      return relative;
    }
    Path target =
        Confinement.below(root, relative)
            .orElseThrow(() -> new PlanException(at, field, "'" + relative + "' leaves the build"));
    for (Path p = target; !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new PlanException(
            at, field, "'" + relative + "' goes through a link (" + root.relativize(p) + ")");
      }
    }
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new PlanException(at, field, "the build has no file '" + relative + "'");
    }
    if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new PlanException(at, field, "'" + relative + "' is not a regular file");
    }
    return relative;
  }
}
