package org.brewpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Thousands of malformed and hostile requests against every endpoint of the exported box, over raw sockets:
 * each must get a client error (or a success where the request is legitimately allowed), never a 5xx, never
 * a stack trace or an exception's class name, and the box must still be UP with an intact audit chain after.
 */
class RestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a leaked exception looks like in an answer. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [\\w.$]+\\([\\w$]+\\.java:\\d+\\)|java\\.(lang|io|util)\\.|org\\.eclipse\\.jetty\\."
                    + "|com\\.fasterxml\\.|org\\.brewpi\\.[a-z]+\\.[A-Z]|Caused by|\\.java:\\d+");

    /** One endpoint: a method, a path, the body it wants (null: none) and whether it changes state. */
    record Endpoint(String method, String path, String body, boolean changesState, boolean hashesPin) {
        static Endpoint read(String path) {
            return new Endpoint("GET", path, null, false, false);
        }

        static Endpoint write(String method, String path, String body) {
            return new Endpoint(method, path, body, true, false);
        }

        static Endpoint signed(String method, String path, String body) {
            return new Endpoint(method, path, body, true, true);
        }
    }

    /** One request to send and the way it was made, for the failure report. */
    record Case(String how, String method, String target, Map<String, String> headers, byte[] body,
            boolean mustNotSucceed) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            Endpoint.read("/api/health"), Endpoint.read("/api/zones"), Endpoint.read("/api/zones/hlt"),
            Endpoint.write("PUT", "/api/zones/hlt/tags/sv", "{\"value\":55.0}"),
            Endpoint.write("POST", "/api/zones/hlt/reset", "{}"),
            Endpoint.read("/api/history?zone=hlt&tag=pv&points=10"), Endpoint.read("/api/events?zone=hlt&limit=10"),
            Endpoint.read("/api/alarms"), Endpoint.read("/api/alarms/journal?limit=5"),
            Endpoint.read("/api/alarms/metrics"), Endpoint.read("/api/alarms/hlt.pv.hi"),
            Endpoint.write("POST", "/api/alarms/hlt.pv.hi/ack", "{\"comment\":\"fuzz\"}"),
            Endpoint.signed("POST", "/api/alarms/hlt.pv.hi/shelve", "{\"pin\":\"000000\",\"reason\":\"fuzz\",\"minutes\":5}"),
            Endpoint.write("POST", "/api/alarms/hlt.pv.hi/unshelve", "{\"reason\":\"fuzz\"}"),
            Endpoint.read("/api/audit?limit=5"), Endpoint.read("/api/audit/verify"),
            Endpoint.signed("POST", "/api/session", "{\"user\":\"nobody\",\"pin\":\"wrong-pin\"}"),
            Endpoint.read("/api/session"),
            Endpoint.signed("POST", "/api/session/pin", "{\"user\":\"nobody\",\"pin\":\"x\",\"newPin\":\"y\"}"),
            Endpoint.signed("POST", "/api/signatures",
                    "{\"pin\":\"000000\",\"meaning\":\"fuzz\",\"reason\":\"fuzz\",\"target\":\"fuzz\"}"),
            Endpoint.read("/api/users"),
            Endpoint.signed("POST", "/api/users", "{\"user\":\"fz\",\"printedName\":\"F\",\"role\":\"operator\",\"pin\":\"fuzz-pin-1\"}"),
            Endpoint.write("PUT", "/api/users/fuzzy", "{\"role\":\"operator\"}"),
            Endpoint.signed("POST", "/api/users/fuzzy/pin", "{\"pin\":\"fuzz-pin-2\"}"),
            Endpoint.read("/api/tokens"), Endpoint.write("POST", "/api/tokens", "{\"name\":\"fz\",\"role\":\"operator\"}"),
            Endpoint.write("DELETE", "/api/tokens/no-such-token", null),
            Endpoint.read("/api/interlocks"), Endpoint.write("POST", "/api/interlocks/hlt-overtemp/reset", "{}"),
            Endpoint.signed("POST", "/api/interlocks/hlt-overtemp/bypass",
                    "{\"pin\":\"000000\",\"reason\":\"fuzz\",\"minutes\":5}"),
            Endpoint.write("POST", "/api/interlocks/hlt-overtemp/unbypass", "{\"reason\":\"fuzz\"}"),
            Endpoint.read("/api/estop"), Endpoint.write("POST", "/api/estop/reset", "{}"),
            Endpoint.read("/api/config"), Endpoint.read("/api/config/brewpi.interlock~kettle-level"),
            Endpoint.signed("PUT", "/api/config/brewpi.interlock~kettle-level",
                    "{\"properties\":{\"delay_ms\":3000},\"pin\":\"000000\",\"reason\":\"fuzz\"}"),
            Endpoint.read("/api/recipes"), Endpoint.read("/api/recipes/pale-ale"),
            Endpoint.signed("POST", "/api/recipes/pale-ale/approve", "{\"pin\":\"000000\",\"reason\":\"fuzz\"}"),
            Endpoint.read("/api/batches?limit=5"), Endpoint.read("/api/batches"), Endpoint.read("/api/batches/no-such-lot"),
            Endpoint.write("POST", "/api/batches", "{\"recipe\":\"pale-ale\",\"lot\":\"FUZZ-1\"}"),
            Endpoint.write("POST", "/api/batches/no-such-lot/hold", "{\"reason\":\"fuzz\"}"),
            Endpoint.signed("POST", "/api/batches/no-such-lot/release", "{\"pin\":\"000000\",\"reason\":\"fuzz\"}"),
            Endpoint.read("/api/live"), Endpoint.read("/"), Endpoint.read("/hmi/"), Endpoint.read("/api/nothing-here"));

    @Test
    void hostileRequestsGetClientErrorsNeverServerErrorsOrStackTraces() throws Exception {
        try (Box box = new Box("rest-fuzz").start()) {
            RawHttp raw = new RawHttp("127.0.0.1", box.httpPort);
            Map<String, String> auth = credentials(box, raw);
            List<Case> cases = cases(auth);
            Collections.shuffle(cases, new Random(20261128L));
            assertThat(cases.size()).as("a few thousand requests").isGreaterThan(3000);

            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger answered = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (Case c : cases) {
                    done.add(pool.submit(() -> {
                        check(raw, c, failures);
                        answered.incrementAndGet();
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("REST fuzz: %d requests, %d failures%n", answered.get(), failures.size());
            assertThat(failures).as("requests answered with a server error, a stack trace or success where none is allowed")
                    .isEmpty();

            // Afterwards the box is whole: UP, and the audit chain holds.
            Http.Answer health = box.http.get("/api/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("status").asText()).isEqualTo("UP");
            RawHttp.Answer verify = raw.send("GET", "/api/audit/verify", Map.of("Authorization", auth.get("bootstrap")), null);
            assertThat(JSON.readTree(verify.body()).path("ok").asBoolean()).as(verify.body()).isTrue();
        }
    }

    private static void check(RawHttp raw, Case c, ConcurrentLinkedQueue<String> failures) {
        String what = c.how() + ": " + c.method() + " " + abbreviate(c.target());
        try {
            RawHttp.Answer a = raw.send(c.method(), c.target(), c.headers(), c.body());
            if (a.status() == 0) {
                failures.add(what + " -> no HTTP answer: " + abbreviate(a.raw()));
            } else if (a.status() >= 500) {
                failures.add(what + " -> " + a.status() + " " + abbreviate(a.body()));
            } else if (a.status() >= 300 && LEAK.matcher(a.raw()).find()) {
                // refusals are where internals leak; a success's body is the resource's own data (the audit trail
                // names bundles such as com.fasterxml.jackson.core)
                failures.add(what + " -> " + a.status() + " leaks internals: " + abbreviate(a.raw()));
            } else if (c.mustNotSucceed() && a.status() < 300) {
                failures.add(what + " -> " + a.status() + " although it must be refused: " + abbreviate(a.body()));
            }
        } catch (Exception e) {
            failures.add(what + " -> " + e);
        }
    }

    /**
     * Logs a supervisor in (a PIN session, made through the bootstrap token) and makes an operator API token and a
     * revoked one, so the fuzzer also reaches what lies behind each kind of sign-in.
     */
    private static Map<String, String> credentials(Box box, RawHttp raw) throws Exception {
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("bootstrap", "Bearer " + box.token);
        Map<String, String> admin = Map.of("Authorization", "Bearer " + box.token, "Content-Type", "application/json");
        for (String user : List.of("fuzzy", "sup")) {
            String role = "sup".equals(user) ? "supervisor" : "operator";
            expect(raw.send("POST", "/api/users", admin, json("{\"user\":\"" + user + "\",\"printedName\":\"Fuzz " + user
                    + "\",\"role\":\"" + role + "\",\"pin\":\"first-pin-1\"}")), 201);
        }
        expect(raw.send("POST", "/api/session/pin", Map.of("Content-Type", "application/json"),
                json("{\"user\":\"sup\",\"pin\":\"first-pin-1\",\"newPin\":\"864209\"}")), 204);
        RawHttp.Answer login = expect(raw.send("POST", "/api/session", Map.of("Content-Type", "application/json"),
                json("{\"user\":\"sup\",\"pin\":\"864209\"}")), 200);
        auth.put("session", "Bearer " + JSON.readTree(login.body()).path("token").asText());
        RawHttp.Answer token = expect(raw.send("POST", "/api/tokens", admin,
                json("{\"name\":\"fuzz-op\",\"role\":\"operator\"}")), 201);
        auth.put("operator-token", "Bearer " + JSON.readTree(token.body()).path("token").asText());
        RawHttp.Answer revoked = expect(raw.send("POST", "/api/tokens", admin,
                json("{\"name\":\"fuzz-revoked\",\"role\":\"admin\"}")), 201);
        expect(raw.send("DELETE", "/api/tokens/fuzz-revoked", admin, null), 200);
        auth.put("revoked-token", "Bearer " + JSON.readTree(revoked.body()).path("token").asText());
        return auth;
    }

    private static RawHttp.Answer expect(RawHttp.Answer a, int status) {
        assertThat(a.status()).as(a.raw()).isEqualTo(status);
        return a;
    }

    private static List<Case> cases(Map<String, String> auth) {
        List<Case> cases = new ArrayList<>();
        List<String> signIns = new ArrayList<>(auth.values());
        Iterator<String> rotate = cycle(signIns);
        java.util.Set<String> readable = new java.util.HashSet<>();
        ENDPOINTS.stream().filter(e -> !e.changesState()).forEach(e -> readable.add(e.path()));
        for (Endpoint e : ENDPOINTS) {
            String body = e.body();
            // every method, with each kind of sign-in in turn; a state-changing resource never changes on a GET
            for (String m : HostileInputs.METHODS) {
                boolean read = m.equalsIgnoreCase("GET") || m.equals("HEAD");
                cases.add(new Case("method", m, e.path(), jsonAuth(rotate.next()), read ? null : bytes(body),
                        read && e.changesState() && !readable.contains(e.path())));
            }
            for (String path : HostileInputs.paths(e.path())) {
                cases.add(new Case("path", e.method(), path, jsonAuth(rotate.next()), bytes(body), false));
            }
            for (Map<String, String> h : HostileInputs.headers()) {
                Map<String, String> headers = new LinkedHashMap<>(jsonAuth(rotate.next()));
                headers.putAll(h);
                byte[] b = h.containsKey("Transfer-Encoding") ? "zz\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8)
                        : bytes(body == null ? "{}" : body);
                cases.add(new Case("header " + h.keySet().iterator().next(), e.method(), e.path(), headers, b, false));
            }
            for (String bad : HostileInputs.badAuthorizations()) {
                cases.add(new Case("authorization", e.method(), e.path(), jsonAuth(bad), bytes(body),
                        e.changesState() && !e.path().startsWith("/api/session")));
            }
            if (e.path().contains("?")) {
                cases.addAll(queryCases(e, rotate));
            }
            if (body != null) {
                cases.addAll(bodyCases(e, rotate));
            }
        }
        return cases;
    }

    /** Each query parameter replaced by every hostile string. */
    private static List<Case> queryCases(Endpoint e, Iterator<String> rotate) {
        List<Case> cases = new ArrayList<>();
        String base = e.path().substring(0, e.path().indexOf('?'));
        String[] params = e.path().substring(e.path().indexOf('?') + 1).split("&");
        for (int i = 0; i < params.length; i++) {
            for (String s : HostileInputs.STRINGS) {
                String[] spoiled = params.clone();
                spoiled[i] = params[i].substring(0, params[i].indexOf('=') + 1)
                        + URLEncoder.encode(s, StandardCharsets.UTF_8);
                cases.add(new Case("query", "GET", base + "?" + String.join("&", spoiled), jsonAuth(rotate.next()), null,
                        false));
            }
        }
        return cases;
    }

    /**
     * Whole hostile bodies, then each field of the endpoint's body replaced by every odd JSON value, removed, and
     * joined by a stranger. Endpoints that check a PIN (slow on purpose) get a sample of the field cases.
     */
    private static List<Case> bodyCases(Endpoint e, Iterator<String> rotate) {
        List<Case> cases = new ArrayList<>();
        for (byte[] b : HostileInputs.bodies()) {
            cases.add(new Case("body", e.method(), e.path(), jsonAuth(rotate.next()), b, false));
        }
        ObjectNode base;
        try {
            base = (ObjectNode) JSON.readTree(e.body());
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
        List<String> fieldBodies = new ArrayList<>();
        for (Iterator<String> names = base.fieldNames(); names.hasNext();) {
            String field = names.next();
            List<String> values = new ArrayList<>(HostileInputs.JSON_VALUES);
            HostileInputs.STRINGS.forEach(s -> values.add(JSON.valueToTree(s).toString()));
            for (String v : values) {
                fieldBodies.add(replace(e.body(), field, v));
            }
            ObjectNode without = base.deepCopy();
            without.remove(field);
            fieldBodies.add(without.toString());
        }
        fieldBodies.add(e.body().substring(0, e.body().length() - 1) + (e.body().length() > 2 ? "," : "")
                + "\"__proto__\":{\"admin\":true}}");
        if (e.hashesPin()) {
            Collections.shuffle(fieldBodies, new Random(e.path().hashCode()));
            fieldBodies = fieldBodies.subList(0, Math.min(40, fieldBodies.size()));
        }
        for (String b : fieldBodies) {
            cases.add(new Case("field", e.method(), e.path(), jsonAuth(rotate.next()), bytes(b), false));
        }
        return cases;
    }

    /** The body with one field's value replaced by raw JSON text. */
    private static String replace(String body, String field, String rawValue) {
        try {
            ObjectNode copy = (ObjectNode) JSON.readTree(body);
            copy.set(field, JSON.readTree(rawValue));
            return copy.toString();
        } catch (Exception x) {
            // values Jackson will not hold (1e-400 underflow, nesting) go in as text
            return body.replace("\"" + field + "\":", "\"" + field + "\":" + rawValue + ",\"_was\":");
        }
    }

    private static Map<String, String> jsonAuth(String authorization) {
        Map<String, String> h = new HashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Authorization", authorization);
        return h;
    }

    private static Iterator<String> cycle(List<String> values) {
        return new Iterator<>() {
            int next;

            public boolean hasNext() {
                return true;
            }

            public String next() {
                return values.get(next++ % values.size());
            }
        };
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String s) {
        return bytes(s);
    }

    private static String abbreviate(String s) {
        String flat = s.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
