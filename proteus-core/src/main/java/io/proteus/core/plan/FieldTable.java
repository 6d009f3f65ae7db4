package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonToken;
import io.proteus.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The known fields of one kind of plan object and how to read each. Reading an object checks that
 * it is one, gives each known field to its reader, warns about unknown fields and skips them, and
 * refuses a key that appears twice, all with the file, line, column and field path.
 *
 * @param <T> what the readers fill in
 */
final class FieldTable<T> {
  /** Reads one field's value, the cursor standing on it, into the target. */
  @FunctionalInterface
  interface FieldReader<T> {
    void read(T target, JsonCursor c, String path);
  }

  private final String what;
  private final Map<String, FieldReader<T>> readers;

  private FieldTable(String what, Map<String, FieldReader<T>> readers) {
    this.what = what;
    this.readers = Map.copyOf(readers);
  }

  /** A table for objects described as {@code what} in errors, such as "a test object". */
  static <T> Builder<T> of(String what) {
    return new Builder<>(what);
  }

  /**
   * Reads the object the cursor stands on into {@code target}.
   *
   * @return where the object starts, for errors about it as a whole
   */
  SourceLocation read(JsonCursor c, String at, T target, List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_OBJECT) {
      throw c.error(at, "expected " + what + ", found " + JsonCursor.describe(c.current()));
    }
    SourceLocation start = c.here();
    Set<String> seen = new HashSet<>();
    while (c.next(at) != JsonToken.END_OBJECT) {
      String key = c.key(at, seen);
      String path = join(at, key);
      c.next(path);
      FieldReader<T> reader = readers.get(key);
      if (reader == null) {
        warnings.add(new PlanWarning(c.here(), path, "unknown field, ignored"));
        c.skip(path);
      } else {
        reader.read(target, c, path);
      }
    }
    return start;
  }

  /**
   * Reads the array the cursor stands on, each element an object of this table read into a fresh
   * target and then turned into a value.
   */
  <R> List<R> readArray(
      JsonCursor c,
      String at,
      String arrayOf,
      Supplier<T> fresh,
      Finisher<T, R> finish,
      List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_ARRAY) {
      throw c.error(
          at, "expected an array of " + arrayOf + ", found " + JsonCursor.describe(c.current()));
    }
    List<R> out = new ArrayList<>();
    int i = 0;
    while (c.next(at) != JsonToken.END_ARRAY) {
      String element = at + "[" + i++ + "]";
      T target = fresh.get();
      SourceLocation start = read(c, element, target, warnings);
      out.add(finish.finish(target, start, element));
    }
    return out;
  }

  /** Turns a filled-in target into its value, or throws a located error. */
  @FunctionalInterface
  interface Finisher<T, R> {
    R finish(T target, SourceLocation start, String path);
  }

  static String join(String prefix, String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  /** Collects the readers of a table. */
  static final class Builder<T> {
    private final String what;
    private final Map<String, FieldReader<T>> readers = new HashMap<>();

    private Builder(String what) {
      this.what = what;
    }

    Builder<T> field(String key, FieldReader<T> reader) {
      if (readers.putIfAbsent(key, reader) != null) {
        throw new IllegalArgumentException("two readers for " + key);
      }
      return this;
    }

    FieldTable<T> build() {
      return new FieldTable<>(what, readers);
    }
  }
}
