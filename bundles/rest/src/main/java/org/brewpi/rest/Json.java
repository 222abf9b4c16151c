package org.brewpi.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** JSON reading and writing for the API: one configured mapper per component, thread-safe once built. */
public final class Json {

    /** Request bodies are small ({@code {"value": 18.5}}); anything bigger is refused. */
    public static final int MAX_BODY_BYTES = 4096;

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** The JSON tree of a value; fails with {@link IllegalArgumentException} for what has no JSON form. */
    public JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public void write(OutputStream out, Object value) throws IOException {
        mapper.writeValue(out, value);
    }

    /** Parses a request body, refusing empty, oversized or malformed JSON with a 400 that says why. */
    public JsonNode readBody(InputStream in) {
        return parse(readBytes(in));
    }

    /** Reads a request body of at most {@link #MAX_BODY_BYTES}; a bigger one is refused with a 413. */
    public byte[] readBytes(InputStream in) {
        byte[] body;
        try {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            // broken chunked framing, a declared length never sent, a client gone: the request is what is wrong
            throw ApiException.badRequest("the request body could not be read (broken framing or connection)");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "too_large", "request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    public JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("request body is empty; expected a JSON object");
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + reason(e));
        }
    }

    /**
     * Jackson's own words, without the names of its classes and settings it quotes in backticks (an answer
     * must not show the server's insides), and where in the body it went wrong.
     */
    static String reason(IOException e) {
        if (e instanceof StreamConstraintsException) {
            return "nested too deeply, or a number or text too long";
        }
        if (!(e instanceof JsonProcessingException j)) {
            return "unreadable";
        }
        String message = j.getOriginalMessage() == null ? "malformed" : j.getOriginalMessage();
        if (message.startsWith("Trailing token")) {
            message = "more than one JSON value";
        }
        int quoted = message.indexOf('`');
        if (quoted >= 0) {
            message = message.substring(0, quoted).replaceAll("[\\s(,:]*(bound as|from|as per)?[\\s(,:]*$", "");
        }
        JsonLocation at = j.getLocation();
        return at == null || at.getLineNr() < 0 ? message
                : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
