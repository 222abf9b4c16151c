package org.brewpi.hmi.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.brewpi.hmi.internal.HmiRoutes.Route;
import org.junit.jupiter.api.Test;

class HmiRoutesTest {

    @Test
    void theBareAppPathGetsItsTrailingSlash() {
        assertThat(HmiRoutes.route("/hmi")).isEqualTo(Route.ADD_SLASH);
    }

    @Test
    void theFolderIsTheIndexPage() {
        assertThat(HmiRoutes.route("/hmi/")).isEqualTo(Route.INDEX);
        assertThat(HmiRoutes.INDEX).isEqualTo("/hmi/index.html");
    }

    @Test
    void filesUnderTheAppAreFiles() {
        assertThat(HmiRoutes.route("/hmi/js/main.js")).isEqualTo(Route.FILE);
        assertThat(HmiRoutes.route("/hmi/index.html")).isEqualTo(Route.FILE);
    }

    @Test
    void foldersBelowTheAppAreNotPages() {
        assertThat(HmiRoutes.route("/hmi/js/")).isEqualTo(Route.NOT_FOUND);
    }

    @Test
    void otherPathsAreLeftAlone() {
        assertThat(HmiRoutes.route("/hmix")).isEqualTo(Route.OTHER);
        assertThat(HmiRoutes.route("/api/zones")).isEqualTo(Route.OTHER);
        assertThat(HmiRoutes.route("/")).isEqualTo(Route.OTHER);
        assertThat(HmiRoutes.route(null)).isEqualTo(Route.OTHER);
    }

    @Test
    void everyFileIsRevalidatedAndKeptToThisBox() {
        assertThat(HmiRoutes.HEADERS)
                .containsEntry("Cache-Control", "no-cache")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(HmiRoutes.HEADERS.get("Content-Security-Policy"))
                .contains("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
    }
}
