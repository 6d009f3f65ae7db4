package io.proteus.docker.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels on everything the engine makes, so a later engine can find what a crashed one left.
 */
public final class Labels {
  public static final String MANAGED = "io.proteus.managed";
  public static final String HOST = "io.proteus.host";
  public static final String PID = "io.proteus.pid";
  public static final String TASK = "io.proteus.task";

  private static final int MAX_VALUE = 200;

  private Labels() {}

  /** The labels that say this process made something, and identify it (see {@link Owner}). */
  public static Map<String, String> owner() {
    Map<String, String> labels = new HashMap<>(Owner.current().labels());
    labels.put(MANAGED, "true");
    labels.put(HOST, clean(hostName()));
    return Map.copyOf(labels);
  }

  /** The owner's labels and the task's id (cut to 200 characters, control characters replaced). */
  public static Map<String, String> forTask(Map<String, String> owner, String task) {
    Map<String, String> labels = new HashMap<>(owner);
    labels.put(TASK, clean(task));
    return Map.copyOf(labels);
  }

  static String clean(String value) {
    String v = value == null ? "unknown" : value.replaceAll("\\p{Cntrl}", "?");
    return v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v;
  }

  /** This machine's name, as the labels record it. */
  public static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
