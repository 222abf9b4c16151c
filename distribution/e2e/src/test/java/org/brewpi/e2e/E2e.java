package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;


/** Where things are, what must be installed, and waiting for something to become true. */
final class E2e {

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private E2e() {
    }

    /** The module's target folder (Surefire runs with the module as working directory). */
    static Path targetDir() {
        return Path.of("target").toAbsolutePath();
    }

    static Path screenshotDir() {
        return Path.of(System.getProperty("brewpi.e2e.screenshots", targetDir().resolve("screenshots").toString()));
    }

    /** The exported box, built by the distribution module before this one. */
    static Path boxJar() {
        Path jar = Path.of(System.getProperty("brewpi.e2e.jar", "../target/brewpi-control.jar")).toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            fail("the exported box %s does not exist: build the distribution module first "
                    + "(mvn install from the top folder builds it before this module)", jar);
        }
        return jar;
    }

    static Path chromium() {
        return Path.of(System.getProperty("brewpi.e2e.chromium", "/usr/bin/chromium"));
    }

    static Path chromedriver() {
        return Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    }

    /**
     * The browser tests need Debian's chromium and chromium-driver; without them they fail (never skip),
     * naming the packages. {@code .ci/run} installs them.
     */
    static void requireBrowser() {
        StringBuilder missing = new StringBuilder();
        for (Path exe : new Path[] { chromium(), chromedriver() }) {
            if (!Files.isExecutable(exe)) {
                missing.append(missing.length() == 0 ? "" : ", ").append(exe);
            }
        }
        if (missing.length() == 0) {
            return;
        }
        String message = "browser tests need " + missing
                + " (Debian packages chromium and chromium-driver: apt-get install chromium chromium-driver)";
        fail(message);
    }

    /** Polls {@code check} every 100 ms until it holds; fails with {@code what} after {@code limit}. */
    static void waitFor(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
                lastError = null;
            } catch (Exception e) {
                lastError = e;
            }
            Thread.sleep(100);
        }
        fail("not within %s: %s%s", limit, what, lastError == null ? "" : " (last error: " + lastError + ")");
    }
}
