/**
 * The Docker engine: {@link io.proteus.docker.DockerEngine} runs each task in a hardened container
 * through the Docker Engine API, under a {@link io.proteus.docker.DockerPolicy}.
 */
@NullMarked
package io.proteus.docker;

import org.jspecify.annotations.NullMarked;
