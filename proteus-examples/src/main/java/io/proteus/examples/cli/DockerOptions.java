package io.proteus.examples.cli;

import io.proteus.docker.BusyboxImage;
import io.proteus.docker.DockerPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options of {@code proteus run --engine docker}: the default image and the policy. */
final class DockerOptions {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})([kmg]?)b?");

  @Option(
      names = "--image",
      paramLabel = "IMAGE",
      description =
          "With --engine docker: the image of tests whose tests.json names none. The image "
              + BusyboxImage.DEFAULT_NAME
              + " is made from /bin/busybox when it is missing; any other must be on the daemon.")
  @Nullable String image;

  @Option(
      names = "--allow-image",
      paramLabel = "PATTERN",
      description =
          "With --engine docker: an image tests may name (repeatable), as name[:tag][@digest]"
              + " where * matches any run of characters but / (see docs/docker.md)."
              + " Default: only the --image.")
  List<String> allowImages = new ArrayList<>();

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description =
          "With --engine docker: each container's memory limit when its test asks for none, such"
              + " as 256m (default: ${DEFAULT-VALUE}).")
  String memory = "256m";

  @Option(
      names = "--max-memory",
      paramLabel = "SIZE",
      description =
          "With --engine docker: the most memory a test may ask for (default: ${DEFAULT-VALUE}).")
  String maxMemory = "1g";

  @Option(
      names = "--allow-network",
      description =
          "With --engine docker: let tests that ask for a network have one (default: no network).")
  boolean allowNetwork;

  /** Whether any of these options was given, which only makes sense with the Docker engine. */
  boolean anyGiven() {
    return image != null
        || !allowImages.isEmpty()
        || !memory.equals("256m")
        || !maxMemory.equals("1g")
        || allowNetwork;
  }

  /**
   * The policy these options ask for.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  DockerPolicy policy() {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("--engine docker needs --image IMAGE");
    }
    long memoryBytes = size("--memory", memory);
    long maxBytes = size("--max-memory", maxMemory);
    if (memoryBytes > maxBytes) {
      throw new IllegalArgumentException(
          "--memory " + memory + " is more than --max-memory " + maxMemory);
    }
    List<String> allowed = new ArrayList<>(allowImages);
    if (allowed.isEmpty()) {
      allowed.add(image);
    }
    try {
      return DockerPolicy.builder()
          .allowImages(allowed.toArray(String[]::new))
          .defaultImage(image)
          .memory(memoryBytes, maxBytes)
          .allowNetwork(allowNetwork)
          .build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
  }

  static long size(String option, String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          option + " is a size such as 256m or 1g, not '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    long bytes =
        switch (m.group(2)) {
          case "k" -> n << 10;
          case "m" -> n << 20;
          case "g" -> n << 30;
          default -> n;
        };
    if (bytes < 4L << 20 || bytes > 1L << 40) {
      throw new IllegalArgumentException(option + " must be from 4m to 1024g, not '" + value + "'");
    }
    return bytes;
  }
}
