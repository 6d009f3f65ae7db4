package io.proteus.core.plan;

import com.fasterxml.jackson.core.JsonToken;
import io.proteus.PlanException;
import io.proteus.model.CacheMount;
import io.proteus.model.ContainerRequest;
import io.proteus.model.ServiceRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a test's {@code container} object: image, dockerfile, network, memory, cpus, pids, user,
 * privileged.
 */
final class Containers {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*([kmg]?)b?");
  private static final long MAX_PIDS = 4_194_304;
  private static final long MAX_MEMORY = 1L << 40;

  private Containers() {}

  /** A container request being built, and where warnings go. */
  private record Target(ContainerRequest.Builder b, List<PlanWarning> warnings) {}

  private static final FieldTable<Target> CONTAINER =
      FieldTable.<Target>of("a container object")
          .field("image", (t, c, f) -> t.b().image(PlanReader.nonBlank(c, f)))
          .field("dockerfile", (t, c, f) -> t.b().dockerfile(PlanReader.relativePath(c, f)))
          .field("network", (t, c, f) -> t.b().network(c.bool(f)))
          .field("privileged", (t, c, f) -> t.b().privileged(c.bool(f)))
          .field("user", (t, c, f) -> t.b().user(PlanReader.nonBlank(c, f)))
          .field("memory", (t, c, f) -> t.b().memoryBytes(size(c, f)))
          .field("cpus", (t, c, f) -> t.b().cpus(cpus(c, f)))
          .field("pids", (t, c, f) -> t.b().pids(pids(c, f)))
          .field("caches", (t, c, f) -> t.b().caches(caches(c, f, t.warnings())))
          .field("services", (t, c, f) -> t.b().services(services(c, f, t.warnings())))
          .build();

  /** A service's or a cache's fields as read, before the required ones are checked. */
  private static final class Named {
    @Nullable String name;
    @Nullable String second;
    List<String> command = List.of();
    Map<String, String> environment = Map.of();
    boolean exclusive;
  }

  private static final FieldTable<Named> SERVICE =
      FieldTable.<Named>of("a service object")
          .field("name", (n, c, f) -> n.name = PlanReader.nonBlank(c, f))
          .field("image", (n, c, f) -> n.second = PlanReader.nonBlank(c, f))
          .field("command", (n, c, f) -> n.command = c.strings(f))
          .field("environment", (n, c, f) -> n.environment = c.stringMap(f))
          .build();

  private static final FieldTable<Named> CACHE =
      FieldTable.<Named>of("a cache object")
          .field("name", (n, c, f) -> n.name = PlanReader.nonBlank(c, f))
          .field("path", (n, c, f) -> n.second = PlanReader.nonBlank(c, f))
          .field("exclusive", (n, c, f) -> n.exclusive = c.bool(f))
          .build();

  static ContainerRequest parse(JsonCursor c, String f, List<PlanWarning> warnings) {
    ContainerRequest.Builder b = ContainerRequest.builder();
    var start = CONTAINER.read(c, f, new Target(b, warnings), warnings);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new PlanException(start, f, String.valueOf(e.getMessage()));
    }
  }

  private static double cpus(JsonCursor c, String at) {
    double v = c.number(at).doubleValue();
    if (!(v > 0 && v <= 1024)) {
      throw c.error(at, "cpus must be above 0 and at most 1024");
    }
    return v;
  }

  private static long pids(JsonCursor c, String at) {
    double v = c.number(at).doubleValue();
    if (!(v >= 1 && v <= MAX_PIDS) || v != Math.rint(v)) {
      throw c.error(at, "pids must be a whole number from 1 to " + MAX_PIDS);
    }
    return (long) v;
  }

  private static List<ServiceRequest> services(JsonCursor c, String f, List<PlanWarning> warnings) {
    return SERVICE.readArray(
        c,
        f,
        "services",
        Named::new,
        (n, start, at) -> {
          if (n.name == null || n.second == null) {
            throw new PlanException(start, at, "a service needs a name and an image");
          }
          try {
            return new ServiceRequest(n.name, n.second, n.command, n.environment);
          } catch (IllegalArgumentException e) {
            throw new PlanException(start, at, e.getMessage());
          }
        },
        warnings);
  }

  private static List<CacheMount> caches(JsonCursor c, String f, List<PlanWarning> warnings) {
    return CACHE.readArray(
        c,
        f,
        "caches",
        Named::new,
        (n, start, at) -> {
          if (n.name == null || n.second == null) {
            throw new PlanException(start, at, "a cache needs a name and a path");
          }
          try {
            return new CacheMount(n.name, n.second, n.exclusive);
          } catch (IllegalArgumentException e) {
            throw new PlanException(start, at, e.getMessage());
          }
        },
        warnings);
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
