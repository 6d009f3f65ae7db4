package io.proteus;

/**
 * A test plan ({@code tests.json}) could not be read: bad JSON, a missing required field or a field
 * of the wrong type. The message names the file, line, column and field.
 */
public final class PlanException extends ProteusException {
  private static final long serialVersionUID = 1L;
  private final SourceLocation location;
  private final String field;

  /**
   * A plan error at {@code location} in {@code field} (a JSON path such as {@code tests[2].name}).
   */
  public PlanException(SourceLocation location, String field, String problem) {
    super(location + ": " + (field.isEmpty() ? "" : field + ": ") + problem);
    this.location = location;
    this.field = field;
  }

  /** Where in the file the problem is. */
  public SourceLocation location() {
    return location;
  }

  /** The JSON path of the offending field, empty when the problem is the document itself. */
  public String field() {
    return field;
  }
}
