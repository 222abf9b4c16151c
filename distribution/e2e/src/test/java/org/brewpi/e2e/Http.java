package org.brewpi.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP to the box, for what the tests check beside the browser. */
final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** Where the TLS context comes from; it may not be there yet (the box makes its certificate when it starts). */
    interface Trust {
        SSLContext context() throws IOException;
    }

    private final String base;
    private final String token;
    private final Trust trust;
    private volatile HttpClient client;

    Http(String base, String token) {
        this(base, token, null);
    }

    /** @param trust for an https base: the certificates to trust */
    Http(String base, String token, Trust trust) {
        this.base = base;
        this.token = token;
        this.trust = trust;
    }

    private HttpClient client() throws IOException {
        HttpClient c = client;
        if (c == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (trust != null) {
                b.sslContext(trust.context());
            }
            client = c = b.build();
        }
        return c;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer put(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST with the bootstrap token (admin), or with {@code bearer} when given. */
    Answer post(String path, String json) throws IOException, InterruptedException {
        return post(path, json, token);
    }

    Answer post(String path, String json, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    Answer get(String path, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer).GET());
    }

    Answer delete(String path, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + bearer).DELETE());
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client().send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response);
    }
}
