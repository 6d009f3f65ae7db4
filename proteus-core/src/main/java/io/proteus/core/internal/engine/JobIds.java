package io.proteus.core.internal.engine;

import java.util.UUID;

/** Readable, unique job ids: build, plan and platform, then a random suffix. */
final class JobIds {
  private JobIds() {}

  static String slug(String s) {
    String out = s.replaceAll("[^A-Za-z0-9._]+", "_");
    return out.length() > 40 ? out.substring(0, 40) : out;
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
