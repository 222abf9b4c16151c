package org.brewpi.sim.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The shared vectors (docs/protocol/vectors.json), every kind, against the simulator's validator. */
class PayloadValidatorTest {

    static final Path VECTORS = Path.of("..", "docs", "protocol", "vectors.json");

    private final PayloadValidator validator = new PayloadValidator();

    @TestFactory
    Stream<DynamicTest> validVectorsPass() throws IOException {
        return vectors("valid").stream().map(v -> DynamicTest.dynamicTest(v.kind() + ": " + v.name(), () -> {
            Validation result = validator.validate(PayloadKind.fromWire(v.kind()), v.zone(), v.bytes());
            assertThat(result.reason()).as("%s (%s)", v.name(), result.detail()).isNull();
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidVectorsFailWithTheirReason() throws IOException {
        return vectors("invalid").stream().map(v -> DynamicTest.dynamicTest(v.kind() + ": " + v.name(), () -> {
            Validation result = validator.validate(PayloadKind.fromWire(v.kind()), v.zone(), v.bytes());
            assertThat(result.reason()).as("%s (%s)", v.name(), result.detail()).isNotNull();
            assertThat(result.reason().wire()).as(v.name()).isEqualTo(v.reason());
        }));
    }

    @Test
    void theVectorsCoverEveryCommandRule() throws IOException {
        List<Vector> commands = vectors("invalid").stream().filter(v -> v.kind().equals("cmd")).toList();
        assertThat(commands).extracting(Vector::reason)
                .contains("bad_value", "missing_field", "bad_type");
    }

    @Test
    void invalidUtf8IsNotJson() {
        byte[] payload = {'{', '"', 'v', '"', ':', '1', ',', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(validator.validate(PayloadKind.HEARTBEAT, null, payload).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void aFieldNamedTwiceIsNotJson() {
        byte[] payload = "{\"v\":1,\"id\":\"a\",\"op\":\"write\",\"tag\":\"sv\",\"value\":1,\"value\":99}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(PayloadKind.CMD, "fv1", payload).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void trailingGarbageIsNotJson() {
        byte[] payload = "{\"v\":1,\"seq\":1,\"t\":1} x".getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(PayloadKind.HEARTBEAT, null, payload).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void theEarliestReasonWinsWhateverTheFieldOrder() {
        // a wrong type (seq) and a missing field (t): missing_field comes first in the protocol's order
        byte[] payload = "{\"v\":1,\"seq\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(validator.validate(PayloadKind.HEARTBEAT, null, payload).reason()).isEqualTo(RejectReason.MISSING_FIELD);
    }

    @Test
    void anIntegerWithAFractionOrExponentIsABadType() {
        assertThat(validator.validate(PayloadKind.HEARTBEAT, null, "{\"v\":1,\"seq\":1.0,\"t\":1}".getBytes(StandardCharsets.UTF_8))
                .reason()).isEqualTo(RejectReason.BAD_TYPE);
        assertThat(validator.validate(PayloadKind.HEARTBEAT, null, "{\"v\":1,\"seq\":1e3,\"t\":1}".getBytes(StandardCharsets.UTF_8))
                .reason()).isEqualTo(RejectReason.BAD_TYPE);
    }

    record Vector(String name, String kind, String zone, String reason, byte[] bytes) {
    }

    static List<Vector> vectors(String group) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode root = mapper.readTree(Files.readString(VECTORS));
        List<Vector> vectors = new ArrayList<>();
        for (JsonNode v : root.get(group)) {
            byte[] bytes;
            if (v.has("raw")) {
                bytes = v.get("raw").textValue().getBytes(StandardCharsets.UTF_8);
            } else {
                ObjectNode payload = (ObjectNode) v.get("payload").deepCopy();
                if (v.has("pad_to_bytes")) {
                    int target = v.get("pad_to_bytes").intValue();
                    payload.put("pad", "");
                    int size = mapper.writeValueAsBytes(payload).length;
                    payload.put("pad", "x".repeat(Math.max(0, target - size)));
                }
                bytes = mapper.writeValueAsBytes(payload);
            }
            vectors.add(new Vector(v.get("name").textValue(), v.get("kind").textValue(),
                    v.path("zone").textValue(), v.path("reason").textValue(), bytes));
        }
        assertThat(vectors).isNotEmpty();
        return vectors;
    }
}
