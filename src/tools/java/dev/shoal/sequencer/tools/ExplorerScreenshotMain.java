package dev.shoal.sequencer.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A screenshot of a running validator's explorer page in headless chromium ({@link HeadlessChromium}),
 * taken once the page has drawn its grid and had the given time to fill its commit stream, with the
 * page paused and one committed sub-DAG highlighted as a hover shows it.
 *
 * <pre>ExplorerScreenshotMain --url http://127.0.0.1:8081/explorer/ --out docs/explorer.png
 *                        [--width 1400] [--height 760] [--wait-seconds 6]</pre>
 */
public final class ExplorerScreenshotMain {
    private ExplorerScreenshotMain() {}

    public static void main(String[] args) {
        ToolExit.run("explorer-screenshot", () -> shoot(args));
    }

    private static void shoot(String[] args) throws Exception {
        String url = null;
        Path out = null;
        int width = 1400, height = 760, waitSeconds = 6;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                case "--width" -> width = Integer.parseInt(args[i + 1]);
                case "--height" -> height = Integer.parseInt(args[i + 1]);
                case "--wait-seconds" -> waitSeconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null || out == null) {
            throw new IllegalArgumentException("usage: ExplorerScreenshotMain --url URL --out FILE.png [--width 1400] [--height 760] [--wait-seconds 6]");
        }
        if (!HeadlessChromium.installed()) throw new IllegalStateException("the screenshot " + HeadlessChromium.missing());
        ChromeDriver browser = HeadlessChromium.start(width, height);
        try {
            browser.get(url);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (((Long) browser.executeScript("return document.querySelectorAll('circle.cert').length")) == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the page drew no certificate within 30 s: is " + url + " a ready validator?");
                Thread.sleep(200);
            }
            Thread.sleep(waitSeconds * 1000L);
            // Hover a certificate of a commit the stream carried, so the picture shows a sub-DAG highlighted.
            browser.executeScript("document.getElementById('paused').checked = true;"
                    + " const c = [...document.querySelectorAll(\"circle.cert[data-commit]:not([data-commit=''])\")];"
                    + " if (c.length) c[Math.floor(c.length * 2 / 3)].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))");
            Files.write(out, browser.getScreenshotAs(OutputType.BYTES));
            System.out.println("explorer-screenshot: " + out);
        } finally {
            browser.quit();
        }
    }
}
