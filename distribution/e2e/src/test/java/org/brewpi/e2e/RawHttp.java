package org.brewpi.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 written by hand on a socket, one request per connection: a fuzzer must be able to send what a
 * well-behaved client library refuses to (odd methods, {@code ..} and {@code %00} in paths, broken headers).
 */
final class RawHttp {

    /** What came back: the status (0 when nothing did) and the whole raw answer, headers and body. */
    record Answer(int status, String raw) {
        String body() {
            int split = raw.indexOf("\r\n\r\n");
            return split < 0 ? "" : raw.substring(split + 4);
        }

        String header(String name) {
            for (String line : raw.split("\r\n")) {
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private static final int MAX_ANSWER = 4 * 1024 * 1024;

    private final String host;
    private final int port;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /**
     * @param headers sent as given, after {@code Host} and {@code Connection: close}; a {@code Content-Length}
     *        is added for a body unless the headers hold one (or a {@code Transfer-Encoding})
     */
    Answer send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", host + ":" + port);
        all.put("Connection", "close");
        all.putAll(headers);
        boolean framed = all.keySet().stream().anyMatch(
                k -> k.equalsIgnoreCase("Content-Length") || k.equalsIgnoreCase("Transfer-Encoding"));
        if (body != null && !framed) {
            all.put("Content-Length", Integer.toString(body.length));
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        all.forEach((k, v) -> request.writeBytes((k + ": " + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            request.writeBytes(body);
        }
        return sendRaw(request.toByteArray());
    }

    /** Sends the bytes as they are and reads until the server closes (or 15 s pass). */
    Answer sendRaw(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer (413, 400) and close before it has read everything we send
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16384];
            try {
                int n;
                while (answer.size() < MAX_ANSWER && (n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                    if (complete(finalAnswer(answer.toString(StandardCharsets.ISO_8859_1)))) {
                        break; // a hostile Connection header may keep the connection open: don't wait for close
                    }
                }
            } catch (SocketTimeoutException e) {
                // keep what came: the status line tells enough
            } catch (IOException e) {
                // reset after the answer: same
            }
            String raw = finalAnswer(answer.toString(StandardCharsets.ISO_8859_1));
            return new Answer(status(raw), raw);
        }
    }

    /** The answer after any interim ones ({@code 100 Continue} after an {@code Expect} header). */
    static String finalAnswer(String raw) {
        while (raw.matches("(?s)HTTP/1\\.[01] 1(0[02-9]|[1-9]\\d) .*") && raw.contains("\r\n\r\n")) {
            raw = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
        return raw;
    }

    /** Whether a final answer is all there, by its own framing (length, chunks, or none for 101/204/304). */
    static boolean complete(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0 || !raw.startsWith("HTTP/1.")) {
            return false;
        }
        String head = raw.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int status = status(raw);
        if (status == 101 || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return status != 100;
        }
        String body = raw.substring(end + 4);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(head);
        if (length.find()) {
            return body.length() >= Long.parseLong(length.group(1));
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return body.startsWith("0\r\n\r\n") || body.contains("\r\n0\r\n\r\n");
        }
        return false; // framed by the close
    }

    private static int status(String raw) {
        if (!raw.startsWith("HTTP/1.")) {
            return 0;
        }
        try {
            return Integer.parseInt(raw.substring(9, 12));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
