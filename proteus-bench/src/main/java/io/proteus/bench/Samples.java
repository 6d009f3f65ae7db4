package io.proteus.bench;

import java.util.Arrays;

/** Durations in nanoseconds, added from any thread, read as percentiles once a run is over. */
final class Samples {
  private long[] values;
  private int size;

  Samples(int expected) {
    this.values = new long[Math.max(16, expected)];
  }

  /** Adds one sample. */
  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
  }

  /** How many samples there are. */
  synchronized int size() {
    return size;
  }

  /** The {@code p}-th percentile (0 to 100) in nanoseconds, nearest rank; NaN when empty. */
  synchronized double percentile(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.min(size - 1, Math.max(0, rank - 1))];
  }
}
