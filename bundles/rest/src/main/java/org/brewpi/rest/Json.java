package org.brewpi.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    public JsonNode readBody(InputStream in) throws IOException {
        return parse(readBytes(in));
    }

    /** Reads a request body of at most {@link #MAX_BODY_BYTES}; a bigger one is refused with a 413. */
    public byte[] readBytes(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
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
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ApiException.badRequest("request body is not valid JSON: " + detail);
        }
    }
}
