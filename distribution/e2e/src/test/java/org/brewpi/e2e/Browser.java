package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Debian Chromium driven through the system chromedriver (never a downloaded one), with a
 * page area of exactly 800x480 like the Pi's touchscreen, and a fresh profile.
 */
final class Browser implements AutoCloseable {

    static final int WIDTH = 800;
    static final int HEIGHT = 480;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start() throws IOException {
        E2e.requireBrowser();
        Path profile = Files.createTempDirectory(E2e.targetDir(), "chromium-profile-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(E2e.chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(E2e.chromium().toFile());
        options.addArguments(List.of(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT,
                "--force-device-scale-factor=1", "--lang=es-ES"));
        Browser browser = new Browser(new ChromeDriver(service, options), profile);
        browser.fitViewport();
        return browser;
    }

    /** --window-size sizes the window, not the page: grow the window by its frame. */
    private void fitViewport() {
        driver.get("about:blank");
        List<?> frame = (List<?>) js("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]");
        int dx = ((Number) frame.get(0)).intValue();
        int dy = ((Number) frame.get(1)).intValue();
        driver.manage().window().setSize(new Dimension(WIDTH + dx, HEIGHT + dy));
        String inner = String.valueOf(js("return window.innerWidth + 'x' + window.innerHeight"));
        assertThat(inner).as("page area").isEqualTo(WIDTH + "x" + HEIGHT);
    }

    /** Loads the page afresh (a URL that differs only by its #fragment would not reload it). */
    void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** What the HMI says it draws (its read-only test hook), or a missing node before it runs. */
    JsonNode state() {
        return JSON.valueToTree(js("return window.__hmi ? window.__hmi.state() : null"));
    }

    JsonNode zone(String id) {
        for (JsonNode zone : state().path("zones")) {
            if (id.equals(zone.path("id").asText())) {
                return zone;
            }
        }
        return JSON.missingNode();
    }

    /** A touch target of the current frame, or a missing node. */
    JsonNode target(String id) {
        for (JsonNode t : JSON.valueToTree(js("return window.__hmi.targets()"))) {
            if (id.equals(t.path("id").asText())) {
                return t;
            }
        }
        return JSON.missingNode();
    }

    /** A real click (pointer down and up) at the centre of a touch target of the canvas. */
    void tap(String targetId) throws Exception {
        JsonNode[] found = new JsonNode[1];
        E2e.waitFor("touch target " + targetId + " enabled", Duration.ofSeconds(5), () -> {
            found[0] = target(targetId);
            return found[0].path("enabled").asBoolean(false);
        });
        JsonNode t = found[0];
        assertThat(t.path("w").asDouble()).as("%s width", targetId).isGreaterThanOrEqualTo(48);
        assertThat(t.path("h").asDouble()).as("%s height", targetId).isGreaterThanOrEqualTo(48);
        int x = (int) Math.round(t.path("x").asDouble() + t.path("w").asDouble() / 2);
        int y = (int) Math.round(t.path("y").asDouble() + t.path("h").asDouble() / 2);
        new Actions(driver).moveToLocation(x, y).click().perform();
        // The HMI redraws on the next animation frame: wait for it, so the next tap looks up the targets
        // of the screen this tap produced (a key of the letter keyboard is not where the PIN pad's is).
        ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    }

    void tapAll(String... targetIds) throws Exception {
        for (String id : targetIds) {
            tap(id);
        }
    }

    /** Saves a screenshot to target/screenshots/{name}.png and returns it decoded. */
    BufferedImage screenshot(String name) throws IOException {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path dir = E2e.screenshotDir();
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        if (image == null) {
            fail("screenshot %s is not a PNG", name);
        }
        return image;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
