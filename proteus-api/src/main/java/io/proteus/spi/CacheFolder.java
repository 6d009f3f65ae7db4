package io.proteus.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A reusable folder kept between tasks (a toolchain, a dependency cache), exclusive or shared. A
 * garbage collector deletes the least recently used when the total passes a budget.
 */
public interface CacheFolder {

  /** The cache's name. */
  String name();

  /** Where it is, as the engine mounts it. */
  Path path();

  /** Its size in bytes. */
  long size() throws IOException;

  /** Writes it as a tar stream, for inspection or transfer. */
  void archive(OutputStream out) throws IOException;

  /** Deletes it; failures are logged, never thrown. */
  void delete();
}
