package io.proteus;

/**
 * A place in an input file, so that an error can point at it.
 *
 * @param file the file's name as the user gave it
 * @param line the line, starting at 1
 * @param column the column, starting at 1
 */
public record SourceLocation(String file, int line, int column) {
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
