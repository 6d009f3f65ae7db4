/**
 * A job's build files over HTTP: the {@link io.proteus.core.artifacts.ArtifactServer} serves each
 * job's files to the workers that run its tasks, by job, path and per-job token, and takes their
 * logs; the {@link io.proteus.core.artifacts.ArtifactFetcher} downloads them on a worker into a
 * content-addressed cache, checking each file's SHA-256. See docs/artifacts.md.
 */
@NullMarked
package io.proteus.core.artifacts;

import org.jspecify.annotations.NullMarked;
