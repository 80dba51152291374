package io.vitstream.stream;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The system's Chromium ({@code /usr/bin/chromium}) driven by its chromedriver
 * ({@code /usr/bin/chromedriver}), headless, both given by path so Selenium Manager never looks
 * anything up or downloads anything. Browser console messages are kept ({@code goog:loggingPrefs}).
 */
public final class HeadlessChrome {

    public static final Path BROWSER = Path.of(System.getenv().getOrDefault("VITSTREAM_CHROMIUM", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(System.getenv().getOrDefault("VITSTREAM_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private HeadlessChrome() {}

    /**
     * Skips the calling test when the browser or its driver is missing, unless the environment
     * says {@code VITSTREAM_REQUIRE_BROWSER=1} (CI installs them): then it fails.
     */
    public static void assumeInstalled() {
        Optional<String> missing = missing();
        if (missing.isEmpty()) {
            return;
        }
        String message = "no " + missing.get() + ": the live view's browser test needs Chromium and chromedriver";
        if ("1".equals(System.getenv("VITSTREAM_REQUIRE_BROWSER"))) {
            throw new AssertionError(message + " and VITSTREAM_REQUIRE_BROWSER=1 says they must be there");
        }
        Assumptions.assumeTrue(false, message);
    }

    /** The browser or driver that is not there (path and Debian package), if one is missing. */
    public static Optional<String> missing() {
        return !Files.isExecutable(BROWSER) ? Optional.of(BROWSER + " (Debian package chromium)")
                : !Files.isExecutable(DRIVER) ? Optional.of(DRIVER + " (Debian package chromium-driver)") : Optional.empty();
    }

    /** A headless browser of {@code width x height} CSS pixels with its own profile folder {@code profile}. */
    public static ChromeDriver start(Path profile, int width, int height) throws IOException {
        Files.createDirectories(profile);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1",
                "--user-data-dir=" + profile.toAbsolutePath(), "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("SE_OFFLINE", "true")).build();
        return new ChromeDriver(service, options);
    }
}
