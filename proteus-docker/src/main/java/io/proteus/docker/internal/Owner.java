package io.proteus.docker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which process made something, in terms that are never reused: the machine, its boot, the pid
 * namespace, and the process's pid with its start time. A pid alone is reused; with the start time
 * (in clock ticks since boot, from {@code /proc}) within one boot and one pid namespace it names
 * one process only.
 *
 * @param machine the machine's id ({@code /etc/machine-id}, else {@code host:} and its name)
 * @param boot the boot's id ({@code /proc/sys/kernel/random/boot_id}), or {@code unknown}
 * @param pidNamespace the pid namespace ({@code /proc/self/ns/pid}), or {@code unknown}
 * @param pid the process id
 * @param started when the process started: {@code ticks:N} from {@code /proc}, or {@code ms:N}
 */
public record Owner(String machine, String boot, String pidNamespace, long pid, String started) {
  public static final String MACHINE = "io.proteus.machine";
  public static final String BOOT = "io.proteus.boot";
  public static final String PID_NAMESPACE = "io.proteus.pidns";
  public static final String STARTED = "io.proteus.started";
  static final String UNKNOWN = "unknown";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9:._\\[\\]-]{1,100}");

  /** Whether an owner is alive, gone, or cannot be told from here. */
  public enum Liveness {
    ALIVE,
    GONE,
    UNKNOWN
  }

  /** Looks up processes: the start time of a pid, empty when no such process exists. */
  public interface ProcessTable {
    /** The start of process {@code pid}, in the form of {@link Owner#started()}. */
    Optional<String> started(long pid);

    /** This machine's process table. */
    ProcessTable LOCAL = Owner::startedOf;
  }

  /** This process. */
  public static Owner current() {
    long pid = ProcessHandle.current().pid();
    return new Owner(
        machineId(),
        read(Path.of("/proc/sys/kernel/random/boot_id")),
        currentPidNamespace(),
        pid,
        startedOf(pid).orElse(UNKNOWN));
  }

  /** The labels that name this owner. */
  public Map<String, String> labels() {
    Map<String, String> m = new HashMap<>();
    m.put(MACHINE, machine);
    m.put(BOOT, boot);
    m.put(PID_NAMESPACE, pidNamespace);
    m.put(Labels.PID, Long.toString(pid));
    m.put(STARTED, started);
    return m;
  }

  /** The owner named by {@code labels}, if they name one completely. */
  public static Optional<Owner> fromLabels(Map<String, String> labels) {
    String machine = labels.get(MACHINE);
    String boot = labels.get(BOOT);
    String ns = labels.get(PID_NAMESPACE);
    String started = labels.get(STARTED);
    String pid = labels.get(Labels.PID);
    if (machine == null || boot == null || ns == null || started == null || pid == null) {
      return Optional.empty();
    }
    try {
      long p = Long.parseLong(pid);
      return p > 0 ? Optional.of(new Owner(machine, boot, ns, p, started)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code owner} is alive, seen from this owner's process: gone only when provably so
   * (this machine rebooted since, or its pid is free or names a process that started at another
   * time, in this pid namespace); alive when its pid names a process with its start time; unknown
   * otherwise (another machine or pid namespace, missing facts).
   */
  public Liveness judge(Owner owner, ProcessTable table) {
    if (!machine.equals(owner.machine) || machine.equals(UNKNOWN)) {
      return Liveness.UNKNOWN;
    }
    if (boot.equals(UNKNOWN) || owner.boot.equals(UNKNOWN)) {
      return Liveness.UNKNOWN;
    }
    if (!boot.equals(owner.boot)) {
      return Liveness.GONE;
    }
    if (pidNamespace.equals(UNKNOWN) || !pidNamespace.equals(owner.pidNamespace)) {
      return Liveness.UNKNOWN;
    }
    Optional<String> now = table.started(owner.pid);
    if (now.isEmpty()) {
      return Liveness.GONE;
    }
    if (owner.started.equals(UNKNOWN) || now.get().equals(UNKNOWN)) {
      return Liveness.UNKNOWN;
    }
    if (now.get().equals(owner.started)) {
      return Liveness.ALIVE;
    }
    return kind(now.get()).equals(kind(owner.started)) ? Liveness.GONE : Liveness.UNKNOWN;
  }

  private static String kind(String started) {
    int colon = started.indexOf(':');
    return colon < 0 ? started : started.substring(0, colon);
  }

  /** The start of {@code pid}: clock ticks since boot from {@code /proc}, else epoch millis. */
  static Optional<String> startedOf(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.isDirectory(Path.of("/proc/self"))) {
      try {
        String s = Files.readString(stat, StandardCharsets.UTF_8);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Optional.of("ticks:" + Long.parseLong(fields[19]));
      } catch (java.nio.file.NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.of(UNKNOWN);
      }
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(p -> p.info().startInstant().map(i -> "ms:" + i.toEpochMilli()).orElse(UNKNOWN));
  }

  private static String machineId() {
    String id = read(Path.of("/etc/machine-id"));
    return id.equals(UNKNOWN) ? "host:" + clean(Labels.hostName()) : id;
  }

  private static String currentPidNamespace() {
    try {
      return clean(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return UNKNOWN;
    }
  }

  private static String read(Path file) {
    try {
      if (Files.size(file) > 4096) {
        return UNKNOWN;
      }
      return clean(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  private static String clean(String s) {
    return SAFE.matcher(s).matches() ? s : UNKNOWN;
  }
}
