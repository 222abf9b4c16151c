package org.brewpi.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.brewpi.rest.Fixtures.TestGate;
import org.brewpi.rest.Fixtures.TestPlant;
import org.brewpi.api.zone.ZoneState;
import org.brewpi.api.command.CommandResult;
import org.brewpi.api.command.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hardening filter in front of real servlets on a real Jetty: headers, methods, cross-site refusals. */
class WebHardeningTest {

    private static final String TOKEN = "hardening-token";
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final TestGate gate = new TestGate();
    private static EmbeddedJetty jetty;
    private static WebHardening hardening;

    @BeforeAll
    static void start() throws Exception {
        TestPlant plant = new TestPlant().put(Fixtures.fermenter("fv1", ZoneState.ONLINE, 18.0));
        ZonesServlet zones = new ZonesServlet(plant, TOKEN, 2_000);
        zones.setGate(gate);
        hardening = new WebHardening();
        jetty = new EmbeddedJetty().filter(hardening).add(zones, true, "/api/zones", "/api/zones/*")
                .add(new RootServlet(), false, "/").start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.close();
    }

    @BeforeEach
    void answerDone() {
        gate.submitted.clear();
        gate.answering(c -> new CommandResult(c, Outcome.DONE, null, null, 0, 0), 0);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private static HttpRequest.Builder write(String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(jetty.http("/api/zones/fv1/tags/sv"))
                .PUT(BodyPublishers.ofString("{\"value\":19.5}")).header("Authorization", "Bearer " + TOKEN);
        return origin == null ? b : b.header("Origin", origin);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndTheApiIsNeverCached() throws Exception {
        for (String path : new String[] { "/api/zones", "/api/zones/nope", "/nothing" }) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(jetty.http(path)).GET());
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue("frame-ancestors 'none'");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).as("plain HTTP: no HSTS").isEmpty();
        }
        assertThat(send(HttpRequest.newBuilder(jetty.http("/api/zones")).GET()).headers().firstValue("Cache-Control"))
                .hasValue("no-store");
    }

    @Test
    void aWriteFromAnotherSiteIsRefusedBeforeItReachesTheGate() throws Exception {
        for (String origin : new String[] { "https://evil.example", "null", "http://127.0.0.1:1", "http://localhost.evil" }) {
            HttpResponse<String> r = send(write(origin));
            assertThat(r.statusCode()).as(origin).isEqualTo(403);
            assertThat(r.body()).contains("\"error\":\"cross_site\"");
        }
        HttpResponse<String> fetchSite = send(write(null).header("Sec-Fetch-Site", "cross-site"));
        assertThat(fetchSite.statusCode()).isEqualTo(403);
        assertThat(send(write(null).header("Sec-Fetch-Site", "same-site")).statusCode()).isEqualTo(403);
        assertThat(gate.submitted).isEmpty();
        assertThat(hardening.details().get("crossSiteRefused")).isEqualTo(6L);
    }

    @Test
    void theBoxsOwnPagesAndClientsWithoutABrowserMayWrite() throws Exception {
        String self = "http://" + jetty.http("/").getAuthority();
        assertThat(send(write(self)).statusCode()).isEqualTo(200);
        assertThat(send(write(self).header("Sec-Fetch-Site", "same-origin")).statusCode()).isEqualTo(200);
        assertThat(send(write(null)).statusCode()).as("no Origin: curl, scripts, the PLC tools").isEqualTo(200);
        // reads are not state-changing: another site may not read them (no CORS), but asking is not refused
        assertThat(send(HttpRequest.newBuilder(jetty.http("/api/zones")).header("Origin", "https://evil.example").GET())
                .statusCode()).isEqualTo(200);
        assertThat(gate.submitted).hasSize(3);
    }

    @Test
    void onlyTheMethodsTheBoxUsesAreServed() throws Exception {
        for (String method : new String[] { "TRACE", "OPTIONS", "PATCH", "PROPFIND", "FOO" }) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(jetty.http("/api/zones"))
                    .method(method, BodyPublishers.noBody()));
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue(WebHardening.ALLOWED);
            assertThat(r.body()).contains("method_not_allowed");
        }
    }

    @Test
    void aQueryStringThatCannotBeDecodedIsTheClientsError() throws Exception {
        // java.net.URI refuses to build such a request: it goes out by hand
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", jetty.http("/").getPort())) {
            socket.getOutputStream().write(("GET /api/zones?a=%zz&b=% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("query string").doesNotContain("Exception");
        }
    }

    @Test
    void sameOriginComparesHostAndPort() {
        assertThat(WebHardening.sameOrigin("http://box:8080", "box:8080", false)).isTrue();
        assertThat(WebHardening.sameOrigin("http://BOX", "box", false)).isTrue();
        assertThat(WebHardening.sameOrigin("https://box", "box:443", true)).isTrue();
        assertThat(WebHardening.sameOrigin("http://box:8081", "box:8080", false)).isFalse();
        assertThat(WebHardening.sameOrigin("http://other:8080", "box:8080", false)).isFalse();
        assertThat(WebHardening.sameOrigin("null", "box", false)).isFalse();
        assertThat(WebHardening.sameOrigin("http://box", null, false)).isFalse();
        assertThat(WebHardening.sameOrigin("::garbage", "box", false)).isFalse();
    }
}
