package io.proteus.model;

/** A job's unique id, stable across restarts. */
public record JobId(String value) {
  @Override
  public String toString() {
    return value;
  }
}
