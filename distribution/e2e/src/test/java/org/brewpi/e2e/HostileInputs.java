package org.brewpi.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The malformed and hostile pieces the REST fuzz test builds its requests from. */
final class HostileInputs {

    private HostileInputs() {
    }

    /** Strings an attacker tries in any text field, path segment or query parameter. */
    static final List<String> STRINGS = List.of(
            "' OR '1'='1", "1; DROP TABLE audit; --", "\" OR \"\"=\"", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1:1/a}", "{{7*7}}", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
            "%00", "\u0000", "a\u0000b", "\r\nSet-Cookie: x=1", "\uFEFF", "\uD800", "é ü ñ 中文 🍺", "$(id)", "`id`",
            "admin'--", "%s%s%s%n", "\u202Eevil", " ", "", "x".repeat(300), "9".repeat(400));

    /** JSON values of every type and edge, for any field (as JSON text). */
    static final List<String> JSON_VALUES = List.of(
            "null", "true", "false", "0", "-1", "1.5", "1e308", "-1e999", "1e-400", "123456789012345678901234567890",
            "-0", "\"\"", "\" \"", "[]", "{}", "[1,2,3]", "{\"$gt\":\"\"}", "\"" + "y".repeat(3000) + "\"",
            nested("[", "]", 40), nested("{\"a\":", "}", 40));

    /** Whole bodies that are not the object an endpoint wants, or not JSON at all. */
    static List<byte[]> bodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String s : List.of("", "null", "[]", "\"x\"", "123", "true", "{", "}", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
                "{\"a\":1}{\"b\":2}", "{\"value\":NaN}", "/* c */ {}", "{\"a\":1, \"a\":2}", "\u0000\u0000",
                nested("[", "]", 1500), nested("{\"a\":", "}", 1200), "[" + "1,".repeat(1000) + "1]",
                "{\"x\":\"" + "z".repeat(5000) + "\"}")) {
            bodies.add(s.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(new byte[] { (byte) 0xC3, (byte) 0x28, '{', '}' }); // invalid UTF-8
        bodies.add(new byte[] { (byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}' }); // UTF-16 with BOM
        bodies.add("{\"a\":\"\uD83C\"}".getBytes(StandardCharsets.UTF_8));
        bodies.add(new byte[100 * 1024]); // zeros
        bodies.add(("[" + "\"x\",".repeat(300_000) + "1]").getBytes(StandardCharsets.UTF_8)); // 1.2 MB
        return bodies;
    }

    /** Ways of spoiling a path; each takes the endpoint's path. */
    static List<String> paths(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        List<String> paths = new ArrayList<>(List.of(
                bare + "/..", bare + "/../..", bare + "/%2e%2e/%2e%2e/etc/passwd", bare + "/..%2f..%2f", bare + "%00",
                bare + "/%00x", bare + ";jsessionid=x", bare + "//", "/" + bare, bare + "/./", bare + "/%ff%fe",
                bare + "/%", bare + "/%zz", bare + "/\u00e9", bare + "/%C0%AE%C0%AE", bare + "\\..\\", bare + "/%20",
                bare + "/" + "s".repeat(3000), bare + "/" + "L".repeat(20_000), bare + "?a=%zz&b=%",
                bare + "?" + "p=1&".repeat(3000), bare + "?zone=%27%20OR%201%3D1&tag=%00&limit=-5&from=abc",
                bare + "?after=99999999999999999999&limit=1e3&points=0x10", bare + "#frag", bare + "/*", bare + "?%00=%00"));
        return paths;
    }

    /** Headers that a sane client never sends, one set per request. */
    static List<Map<String, String>> headers() {
        List<Map<String, String>> sets = new ArrayList<>();
        sets.add(Map.of("Content-Type", "text/plain"));
        sets.add(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        sets.add(Map.of("Content-Type", "multipart/form-data; boundary=zz"));
        sets.add(Map.of("Content-Type", "application/json; charset=utf-16"));
        sets.add(Map.of("Content-Type", "application/json; charset=bogus-9"));
        sets.add(Map.of("Content-Type", "\u00ff\u00fe"));
        sets.add(Map.of("Content-Length", "-1"));
        sets.add(Map.of("Content-Length", "abc"));
        sets.add(Map.of("Content-Length", "99999999999999999999"));
        sets.add(Map.of("Transfer-Encoding", "chunked"));
        sets.add(Map.of("Transfer-Encoding", "gzip, chunked"));
        sets.add(Map.of("Expect", "100-continue"));
        sets.add(Map.of("Expect", "nonsense"));
        sets.add(Map.of("Accept", "text/html;q=0,*/*;q=-1"));
        sets.add(Map.of("Accept-Charset", "bogus"));
        sets.add(Map.of("Origin", "https://evil.example"));
        sets.add(Map.of("Origin", "null"));
        sets.add(Map.of("Sec-Fetch-Site", "cross-site"));
        sets.add(Map.of("X-Forwarded-For", "' OR 1=1 --, ::1, 999.1.1.1"));
        sets.add(Map.of("X-Forwarded-Proto", "gopher"));
        sets.add(Map.of("Range", "bytes=-1-2,3-"));
        sets.add(Map.of("Cookie", "JSESSIONID=" + "c".repeat(3000)));
        sets.add(Map.of("X-Huge", "h".repeat(20_000)));
        sets.add(Map.of("Connection", "Upgrade", "Upgrade", "websocket"));
        sets.add(Map.of("If-Modified-Since", "yesterday"));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("X-Many-" + i, "v" + i);
        }
        sets.add(many);
        return sets;
    }

    /** Authorization header values that must all be refused (or, for reads, ignored). */
    static List<String> badAuthorizations() {
        return List.of("Bearer", "Bearer ", "Bearer  x y z", "bearer nope", "Basic YWRtaW46YWRtaW4=", "Token abc",
                "Bearer " + "t".repeat(6000), "Bearer \u00ff\u00fe\u00fd", "Bearer ' OR '1'='1", "Bearer null",
                "Bearer ${jndi:ldap://127.0.0.1:1/a}", "Negotiate xyz", ",,,");
    }

    /** Methods, odd ones included. */
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
            "FOO", "get", "PROPFIND", "M-SEARCH");

    static String nested(String open, String close, int depth) {
        return open.repeat(depth) + "1" + close.repeat(depth);
    }
}
