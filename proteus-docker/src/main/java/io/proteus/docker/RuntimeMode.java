package io.proteus.docker;

/** How the engine gets a task's image. A policy allows some of them. */
public enum RuntimeMode {
  /** Use an image already on the daemon; never fetch one. */
  PRESENT,
  /** Pull the image from its registry when it is not on the daemon. */
  PULL,
  /** Build the image from a Dockerfile shipped in the build. */
  BUILD
}
