package dev.shoal.sequencer.explorer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.tools.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The DAG explorer page in a real browser (headless chromium) on the running service, with traffic:
 * it draws certificates, a new commit shows up in its stream within seconds of a submission, a click
 * on a certificate shows that certificate's details, and hovering one highlights its sub-DAG.
 */
@QuarkusTest
class ExplorerPageTest {
    private static final Duration SECONDS = Duration.ofSeconds(20);

    @TestHTTPResource("/explorer/")
    URL page;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        // Under CI a missing browser is a failure (.ci/run installs it); elsewhere the test says why it skips.
        if (!HeadlessChromium.installed() && System.getenv("CI") != null) throw new AssertionError("the explorer's browser test " + HeadlessChromium.missing());
        Assumptions.assumeTrue(HeadlessChromium.installed(), () -> "the explorer's browser test " + HeadlessChromium.missing());
        browser = HeadlessChromium.start(1400, 800);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.quit();
    }

    private static void submit(String label) {
        String payload = Base64.getEncoder().encodeToString((label + "-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
        given().contentType("application/json").body("{\"payload\":\"" + payload + "\"}")
                .when().post("/api/v1/transactions").then().statusCode(202);
    }

    /** Runs a script in the page: the page redraws its grid every few hundred ms, so element handles go stale. */
    private Object js(String script) {
        return browser.executeScript(script);
    }

    private long count(String selector) {
        return (Long) js("return document.querySelectorAll(\"" + selector + "\").length");
    }

    private long newestCommitShown() {
        return (Long) js("const li = document.querySelector('#commits li'); return li ? Number(li.dataset.index) : 0");
    }

    @Test
    void thePageDrawsTheDagFollowsCommitsLiveAndShowsACertificateOnClick() throws Exception {
        submit("explorer-first");
        browser.get(page.toString());
        WebDriverWait wait = new WebDriverWait(browser, SECONDS);

        // The status line and the grid.
        wait.until(b -> b.findElement(By.cssSelector("[data-testid=lifecycle]")).getText().equals("READY"));
        wait.until(b -> count("circle.cert") >= 5);
        assertThat(count("circle.cert.settled")).isPositive();
        assertThat(count("circle.ring")).isPositive();
        assertThat(count("#reputation tbody tr")).isEqualTo(1);

        // The live stream: a commit made after the page opened appears without a reload.
        wait.until(b -> newestCommitShown() > 0);
        long before = newestCommitShown();
        submit("explorer-live");
        wait.until(b -> newestCommitShown() > before);
        assertThat(browser.findElement(By.id("stream-state")).getText()).isEqualTo("(live)");

        // Clicking a certificate shows its details (fetched from GET /api/v1/certificates/{digest}).
        String digest = (String) js("const c = document.querySelector('circle.cert.settled');"
                + " c.dispatchEvent(new MouseEvent('click', {bubbles: true})); return c.dataset.digest");
        wait.until(b -> digest.equals(js("const d = document.querySelector('[data-testid=details-digest]'); return d ? d.textContent : null")));
        assertThat(browser.findElement(By.id("details")).getText()).contains("signers");

        // Hovering a certificate whose commit the stream carried highlights that whole commit, and only it
        // (in the same script: a committee of one runs many rounds a second, and the window moves on).
        wait.until(b -> count("circle.cert[data-commit]:not([data-commit=''])") > 0);
        @SuppressWarnings("unchecked")
        List<String> hovered = (List<String>) js("const c = document.querySelector(\"circle.cert[data-commit]:not([data-commit=''])\");"
                + " c.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"
                + " return [c.dataset.commit, ...[...document.querySelectorAll('circle.cert.hot')].map(h => h.dataset.commit)]");
        assertThat(hovered.subList(1, hovered.size())).isNotEmpty().containsOnly(hovered.get(0));

        Path shot = Path.of("target", "explorer-test.png");
        Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    }
}
