package io.proteus.examples.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through its own chromedriver, for the tests that open the HTML
 * report. Both paths are given, so Selenium Manager never looks for (or downloads) a browser or a
 * driver. Without them the tests skip with a message, but with {@code CI=true} they fail: CI must
 * run them ({@code .ci/run} installs both).
 */
final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Selenium warns that it has no CDP bindings for this chromium's version; the tests use none (the
   * console log comes through chromedriver), so that warning is only noise.
   */
  private static final List<Logger> QUIET =
      List.of(
          Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
          Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

  static {
    QUIET.forEach(l -> l.setLevel(Level.SEVERE));
  }

  private Chromium() {}

  /** Skips (or, in CI, fails) when chromium or chromedriver is not installed. */
  static void require() {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String why = "chromium or chromedriver is missing (" + BROWSER + ", " + DRIVER + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true, so the report's browser tests must run, but " + why);
      }
      Assumptions.abort(
          "skipped: " + why + " (apt-get install chromium chromium-driver to run them)");
    }
  }

  /** A headless browser with an empty profile in {@code profile}, keeping its console log. */
  static ChromeDriver start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1400",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }
}
