package io.proteus.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code proteus} launcher. */
@Command(
    name = "proteus",
    mixinStandardHelpOptions = true,
    version = "proteus 0.1.0",
    description = "Runs a build's tests across workers.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      CoreCommand.class,
      WorkerCommand.class,
      WorkersCommand.class,
      BrokerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ProteusMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the launcher and exits with the command's code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the launcher and returns the command's exit code. */
  public static int execute(String... args) {
    return new CommandLine(new ProteusMain()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
