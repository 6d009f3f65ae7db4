package io.proteus.core.process;

/**
 * How a process engine makes sure every process an attempt starts dies with it, background and
 * {@code setsid} daemons included.
 */
public enum Containment {
  /**
   * A PID namespace where the machine allows one (probed once per JVM), else {@link #PROCESS_TREE}.
   * The default.
   */
  AUTO,

  /**
   * Each command runs in a PID namespace, one command at a time per namespace, through {@code
   * unshare --pid --fork --kill-child} (as root) or {@code unshare --user --map-root-user --pid
   * --fork --kill-child} (otherwise). A warm launcher shell, the namespace's first process, runs
   * the commands one after another; when one ends it sends {@code SIGKILL} to every other process
   * of the namespace and reaps them before the end is reported. Where no launcher can run it (no
   * {@code dash}, or a variable the shell cannot export), the command is itself the first process
   * of a namespace of its own, and when it ends or is killed the kernel kills every process in the
   * namespace. An engine asked for it on a machine without it refuses to start commands.
   */
  PID_NAMESPACE,

  /**
   * No namespace: the engine kills the command's process tree and every process that still carries
   * the attempt's {@code PROTEUS_EXEC_ID} in its environment. A process that left the tree and
   * cleared its environment escapes.
   */
  PROCESS_TREE
}
