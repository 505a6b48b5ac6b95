package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through its chromedriver (packages chromium and chromium-driver, which
 * .ci/run installs), for the explorer page's browser test and screenshots. The flags keep a
 * headless chromium off the network it cannot reach here (background services, component updates)
 * and out of the sandbox it cannot have as root.
 */
public final class HeadlessChromium {
    public static final Path BROWSER = Path.of(System.getProperty("explorer.chromium", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(System.getProperty("explorer.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {}

    public static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    public static String missing() {
        return "needs " + BROWSER + " and " + DRIVER + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";
    }

    /** A fresh browser (own empty profile) with a window of this size. */
    public static ChromeDriver start(int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("explorer-chromium"), "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
