package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonToken;
import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a test's {@code container} object: image, dockerfile, network, memory, cpus, pids, user,
 * privileged.
 */
final class Containers {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([kmg]?)b?");
  private static final long MAX_PIDS = 4_194_304;
  private static final long MAX_MEMORY = 1L << 40;

  private Containers() {}

  static ContainerRequest parse(JsonCursor c, String f, List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_OBJECT) {
      throw c.error(f, "expected an object, found " + JsonCursor.describe(c.current()));
    }
    Optional<String> image = Optional.empty();
    Optional<String> dockerfile = Optional.empty();
    boolean network = false;
    boolean privileged = false;
    Optional<Long> memory = Optional.empty();
    Optional<Double> cpus = Optional.empty();
    Optional<Long> pids = Optional.empty();
    Optional<String> user = Optional.empty();
    List<CacheMount> caches = List.of();
    List<ServiceRequest> services = List.of();
    while (c.next(f) != JsonToken.END_OBJECT) {
      String key = c.fieldName();
      String at = f + "." + key;
      c.next(at);
      switch (key) {
        case "image" -> image = Optional.of(PlanReader.nonBlank(c, at));
        case "dockerfile" -> dockerfile = Optional.of(PlanReader.relativePath(c, at));
        case "network" -> network = c.bool(at);
        case "privileged" -> privileged = c.bool(at);
        case "user" -> user = Optional.of(PlanReader.nonBlank(c, at));
        case "memory" -> memory = Optional.of(size(c, at));
        case "caches" -> caches = caches(c, at, warnings);
        case "services" -> services = services(c, at, warnings);
        case "cpus" -> {
          double v = c.number(at).doubleValue();
          if (!(v > 0 && v <= 1024)) {
            throw c.error(at, "cpus must be above 0 and at most 1024");
          }
          cpus = Optional.of(v);
        }
        case "pids" -> {
          double v = c.number(at).doubleValue();
          if (!(v >= 1 && v <= MAX_PIDS) || v != Math.rint(v)) {
            throw c.error(at, "pids must be a whole number from 1 to " + MAX_PIDS);
          }
          pids = Optional.of((long) v);
        }
        default -> {
          warnings.add(new PlanWarning(c.here(), at, "unknown field, ignored"));
          c.skip(at);
        }
      }
    }
    if (image.isPresent() && dockerfile.isPresent()) {
      throw c.error(f, "give an image or a dockerfile, not both");
    }
    return new ContainerRequest(
        image, dockerfile, network, memory, cpus, pids, user, privileged, caches, services);
  }

  private static List<ServiceRequest> services(JsonCursor c, String f, List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_ARRAY) {
      throw c.error(f, "expected an array of services, found " + JsonCursor.describe(c.current()));
    }
    List<ServiceRequest> out = new java.util.ArrayList<>();
    int i = 0;
    while (c.next(f) != JsonToken.END_ARRAY) {
      String at = f + "[" + i++ + "]";
      if (c.current() != JsonToken.START_OBJECT) {
        throw c.error(at, "expected a service object, found " + JsonCursor.describe(c.current()));
      }
      var start = c.here();
      String name = null;
      String image = null;
      List<String> command = List.of();
      java.util.Map<String, String> env = java.util.Map.of();
      while (c.next(at) != JsonToken.END_OBJECT) {
        String key = c.fieldName();
        String k = at + "." + key;
        c.next(k);
        switch (key) {
          case "name" -> name = PlanReader.nonBlank(c, k);
          case "image" -> image = PlanReader.nonBlank(c, k);
          case "command" -> command = c.strings(k);
          case "environment" -> env = c.stringMap(k);
          default -> {
            warnings.add(new PlanWarning(c.here(), k, "unknown field, ignored"));
            c.skip(k);
          }
        }
      }
      if (name == null || image == null) {
        throw new io.proteus.PlanException(start, at, "a service needs a name and an image");
      }
      try {
        out.add(new ServiceRequest(name, image, command, env));
      } catch (IllegalArgumentException e) {
        throw new io.proteus.PlanException(start, at, e.getMessage());
      }
    }
    return out;
  }

  private static List<CacheMount> caches(JsonCursor c, String f, List<PlanWarning> warnings) {
    if (c.current() != JsonToken.START_ARRAY) {
      throw c.error(f, "expected an array of caches, found " + JsonCursor.describe(c.current()));
    }
    List<CacheMount> out = new java.util.ArrayList<>();
    int i = 0;
    while (c.next(f) != JsonToken.END_ARRAY) {
      String at = f + "[" + i++ + "]";
      if (c.current() != JsonToken.START_OBJECT) {
        throw c.error(at, "expected a cache object, found " + JsonCursor.describe(c.current()));
      }
      var start = c.here();
      String name = null;
      String path = null;
      boolean exclusive = false;
      while (c.next(at) != JsonToken.END_OBJECT) {
        String key = c.fieldName();
        String k = at + "." + key;
        c.next(k);
        switch (key) {
          case "name" -> name = PlanReader.nonBlank(c, k);
          case "path" -> path = PlanReader.nonBlank(c, k);
          case "exclusive" -> exclusive = c.bool(k);
          default -> {
            warnings.add(new PlanWarning(c.here(), k, "unknown field, ignored"));
            c.skip(k);
          }
        }
      }
      if (name == null || path == null) {
        throw new io.proteus.PlanException(start, at, "a cache needs a name and a path");
      }
      try {
        out.add(new CacheMount(name, path, exclusive));
      } catch (IllegalArgumentException e) {
        throw new io.proteus.PlanException(start, at, e.getMessage());
      }
    }
    return out;
  }

  private static long size(JsonCursor c, String at) {
    long bytes;
    if (c.current() == JsonToken.VALUE_STRING) {
      Matcher m = SIZE.matcher(c.text(at).trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw c.error(at, "expected bytes or a size such as 256m or 1g");
      }
      long n = Long.parseLong(m.group(1));
      int shift =
          switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
          };
      bytes = n > MAX_MEMORY >> shift ? Long.MAX_VALUE : n << shift;
    } else {
      double v = c.number(at).doubleValue();
      bytes = v >= MAX_MEMORY ? Long.MAX_VALUE : (long) v;
    }
    if (bytes > MAX_MEMORY) {
      throw c.error(at, "a memory limit over 1 TiB is out of range");
    }
    if (bytes < 4L << 20) {
      throw c.error(at, "a memory limit under 4 MiB cannot run anything");
    }
    return bytes;
  }
}
