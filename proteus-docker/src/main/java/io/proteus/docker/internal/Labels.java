package io.proteus.docker.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The labels on everything the engine makes, so a later engine can find what a crashed one left.
 */
public final class Labels {
  public static final String MANAGED = "io.proteus.managed";
  public static final String HOST = "io.proteus.host";
  public static final String PID = "io.proteus.pid";
  public static final String TASK = "io.proteus.task";

  private Labels() {}

  /** The labels for this process. */
  public static Map<String, String> mine(String task) {
    return Map.of(
        MANAGED,
        "true",
        HOST,
        hostName(),
        PID,
        Long.toString(ProcessHandle.current().pid()),
        TASK,
        task);
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
