package io.proteus.bench;

import java.util.Locale;

/**
 * One line of the scenario table.
 *
 * @param scenario what was run, with its sizes
 * @param figure what was measured
 * @param baseline the same-run baseline, or "-" when the row has none
 * @param ratio the figure against the baseline (or the figure itself when there is none)
 * @param bar the bar the issue sets for this row
 * @param value the row's number, so a smoke run can check a figure came out
 */
public record Row(
    String scenario, String figure, String baseline, String ratio, String bar, double value) {

  /** The row as a Markdown table line. */
  public String markdown() {
    return "| " + scenario + " | " + figure + " | " + baseline + " | " + ratio + " | " + bar + " |";
  }

  static String millis(double nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  static String micros(double nanos) {
    return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
  }

  static String times(double ratio) {
    return String.format(Locale.ROOT, "%.2fx", ratio);
  }
}
