package io.proteus.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code proteus workers release|quarantine}: asks a running {@code proteus core} (given by its
 * config file) to release or quarantine a worker, through its control folder.
 */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    description = {
      "Asks a running proteus core to release a quarantined worker, or to quarantine one, and"
          + " prints its answer. The request goes through <core.inbox>/.control, so it works from"
          + " any process that may write the core's inbox.",
      "Exit codes: 0 done, 1 the core refused (no such worker, not quarantined) or did not answer"
          + " within --wait, 2 bad settings."
    },
    subcommands = {WorkersCommand.Release.class, WorkersCommand.Quarantine.class})
final class WorkersCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The options both requests take. */
  static class Request {
    @Mixin ConfigOptions options = new ConfigOptions();

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        description = "How long to wait for the core's answer, ISO-8601 (default: PT30S).")
    Duration wait = Duration.ofSeconds(30);

    @Parameters(index = "0", paramLabel = "WORKER", description = "The worker's id.")
    String worker = "";

    int send(String action, String text) throws IOException, InterruptedException {
      Path folder;
      try {
        folder = ControlFolder.of(CoreFolders.of(options.load("core")).inbox());
      } catch (ConfigException e) {
        System.err.println("proteus workers: " + e.getMessage());
        return 2;
      }
      if (!ControlFolder.validId(worker)) {
        System.err.println("proteus workers: not a worker id: " + worker);
        return 2;
      }
      Files.createDirectories(folder);
      String name = worker + "." + action;
      Path answer = folder.resolve(name + ControlFolder.ANSWER);
      Files.deleteIfExists(answer);
      Path tmp = folder.resolve("." + name);
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      long end = System.nanoTime() + wait.toNanos();
      while (!Files.exists(answer)) {
        if (System.nanoTime() > end) {
          Files.deleteIfExists(folder.resolve(name));
          System.err.println(
              "proteus workers: no answer from the core within " + wait + "; is it running?");
          return 1;
        }
        Thread.sleep(50);
      }
      String said = Files.readString(answer, StandardCharsets.UTF_8).strip();
      Files.deleteIfExists(answer);
      System.out.println(said);
      return said.endsWith(" released") || said.contains(" quarantined: ") ? 0 : 1;
    }
  }

  /** {@code proteus workers release WORKER}. */
  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "Releases a quarantined worker: it takes work again.")
  static final class Release extends Request implements Callable<Integer> {
    @Override
    public Integer call() throws IOException, InterruptedException {
      return send(ControlFolder.RELEASE, "");
    }
  }

  /** {@code proteus workers quarantine WORKER [--reason TEXT]}. */
  @Command(
      name = "quarantine",
      mixinStandardHelpOptions = true,
      description = "Quarantines a worker: it finishes its task and takes no more work.")
  static final class Quarantine extends Request implements Callable<Integer> {
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the record.")
    String reason = "quarantined by an operator";

    @Override
    public Integer call() throws IOException, InterruptedException {
      return send(ControlFolder.QUARANTINE, reason);
    }
  }
}
