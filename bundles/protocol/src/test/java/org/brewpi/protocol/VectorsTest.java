package org.brewpi.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.brewpi.api.zone.ZoneState;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The shared vectors of docs/protocol/vectors.json, which the firmware and the simulator also pass. */
class VectorsTest {

    static final Path VECTORS = Path.of("../../docs/protocol/vectors.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProtocolCodec codec = new ProtocolCodec();

    /** The payload bytes a vector describes: raw text, or compact JSON padded to a size. */
    static byte[] payloadOf(JsonNode vector) throws Exception {
        if (vector.has("raw")) {
            return vector.get("raw").textValue().getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode payload = (ObjectNode) vector.get("payload").deepCopy();
        if (vector.has("pad_to_bytes")) {
            int target = vector.get("pad_to_bytes").intValue();
            payload.put("pad", "x".repeat(target));
        }
        return JSON.writeValueAsBytes(payload);
    }

    static JsonNode vectors() throws Exception {
        return JSON.readTree(VECTORS.toFile());
    }

    Object decode(String kind, String zone, byte[] payload) throws ProtocolException {
        return switch (kind) {
            case "birth" -> codec.birth(zone, payload);
            case "status" -> codec.status(payload);
            case "tele" -> codec.telemetry(payload);
            case "cmd" -> codec.cmd(payload);
            case "ack" -> codec.ack(payload);
            case "event" -> codec.event(payload);
            case "heartbeat" -> codec.heartbeat(payload);
            case "scada_status" -> codec.scadaStatus(payload);
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    @TestFactory
    Stream<DynamicTest> validPayloadsDecode() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors().get("valid")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").textValue(),
                    () -> assertThat(decode(v.get("kind").textValue(), v.get("zone").textValue(), payloadOf(v)))
                            .isNotNull()));
        }
        assertThat(tests).hasSizeGreaterThan(10);
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> invalidPayloadsAreRejectedForTheirReason() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors().get("invalid")) {
            tests.add(DynamicTest.dynamicTest(v.get("name").textValue() + " -> " + v.get("reason").textValue(), () -> {
                ProtocolException e = catchThrowableOfType(ProtocolException.class,
                        () -> decode(v.get("kind").textValue(), v.get("zone").textValue(), payloadOf(v)));
                assertThat(e).as("must be rejected").isNotNull();
                assertThat(e.reason().code()).isEqualTo(v.get("reason").textValue());
            }));
        }
        assertThat(tests).hasSizeGreaterThan(30);
        return tests.stream();
    }

    @Test
    void decodedValuesAreThePayloads() throws Exception {
        var tele = codec.telemetry(("{\"v\":1,\"boot\":31337,\"seq\":4711,\"t\":123,\"tags\":{\"pv\":18.25,"
                + "\"mode\":\"auto\",\"valve\":true,\"level\":null,\"n\":18},\"bad\":[\"level\"]}").getBytes());
        assertThat(tele.seq()).isEqualTo(4711);
        assertThat(tele.tags()).containsEntry("pv", 18.25).containsEntry("mode", "auto").containsEntry("valve", true)
                .containsEntry("level", null).containsEntry("n", 18.0);
        assertThat(tele.bad()).containsExactly("level");
        var birth = codec.birth("fv1", JSON.writeValueAsBytes(vectors().get("valid").get(0).get("payload")));
        assertThat(birth.tag("sv").orElseThrow().max()).isEqualTo(30.0);
        assertThat(birth.tag("sv").orElseThrow().writable()).isTrue();
        assertThat(birth.tag("mode").orElseThrow().values()).containsExactly("off", "auto", "manual");
        assertThat(codec.status("{\"v\":1,\"state\":\"offline\"}".getBytes()).state()).isEqualTo(ZoneState.OFFLINE);
    }

    @Test
    void encodedCommandsRoundTrip() throws Exception {
        var cmd = new Messages.Cmd("c-000042", "write", "sv", 18.5);
        assertThat(new String(codec.encodeCmd(cmd), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"id\":\"c-000042\",\"op\":\"write\",\"tag\":\"sv\",\"value\":18.5}");
        assertThat(codec.cmd(codec.encodeCmd(cmd))).isEqualTo(cmd);
        assertThat(codec.cmd(codec.encodeCmd(new Messages.Cmd("c-1", "reset", null, null))).op()).isEqualTo("reset");
        assertThat(codec.heartbeat(codec.encodeHeartbeat(new Messages.Heartbeat(7, 99))).seq()).isEqualTo(7);
        assertThat(codec.scadaStatus(codec.encodeScadaStatus(false)).online()).isFalse();
    }

    @Test
    void topicsSplitOnlyProtocolTopics() {
        Topics topics = new Topics("brewpi/v1");
        assertThat(topics.parse("brewpi/v1/fv1/tele")).isEqualTo(new Topics.Parsed("fv1", Topics.Kind.TELE));
        assertThat(topics.parse("brewpi/v1/fv1/tele/x")).isNull();
        assertThat(topics.parse("brewpi/v1/fv1/nonsense")).isNull();
        assertThat(topics.parse("other/fv1/tele")).isNull();
        assertThat(topics.zone("hlt", Topics.Kind.CMD)).isEqualTo("brewpi/v1/hlt/cmd");
        assertThatThrownBy(() -> codec.telemetry(new byte[] { (byte) 0xff, (byte) 0xfe, 0x7b }))
                .isInstanceOf(ProtocolException.class);
    }
}
