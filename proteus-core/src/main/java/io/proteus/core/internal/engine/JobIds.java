package io.proteus.core.internal.engine;

import io.proteus.core.internal.util.Slugs;
import java.util.UUID;

/** Readable, unique job ids: build, plan and platform, then a random suffix. */
final class JobIds {
  private JobIds() {}

  static String slug(String s) {
    return Slugs.part(s, 40);
  }

  static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
