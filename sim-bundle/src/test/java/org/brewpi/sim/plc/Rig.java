package org.brewpi.sim.plc;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.brewpi.sim.physics.Plant;
import org.brewpi.sim.physics.Vessel;
import org.brewpi.sim.protocol.Topics;

/** One PLC on its own plant, driven tick by tick with a hand-moved clock. */
final class Rig {

    static final long TICK = 100;
    static final long PERIOD = 1000;
    static final long HB_TIMEOUT = 5000;

    final Plant plant = new Plant();
    final Vessel vessel;
    final RecordingOutbox outbox;
    final ZonePlc plc;
    final Topics topics;
    final double scale;
    long now;
    private long heartbeats;
    private int commands;

    Rig(String zone, String type) {
        this(zone, type, 1.0);
    }

    Rig(String zone, String type, double scale) {
        ZoneProfile profile = ZoneProfile.forZone(zone, type).orElseThrow();
        double temperature = Double.isNaN(profile.startTemperature()) ? plant.ambient() : profile.startTemperature();
        vessel = plant.add(zone, profile.vessel(), temperature, profile.levelStart(), profile.fermentationAgeSeconds());
        outbox = new RecordingOutbox(zone);
        topics = new Topics("brewpi/v1", zone);
        this.scale = scale;
        plc = new ZonePlc(zone, profile, vessel, topics, outbox, PERIOD, HB_TIMEOUT, now, () -> 1_700_000_000_000L + now,
                new Random(42));
    }

    /** Connects and sends the SCADA's retained "online". */
    Rig online() {
        plc.linkUp(now);
        plc.onMessage(topics.scadaStatus(), bytes("{\"v\":1,\"state\":\"online\"}"), now);
        return this;
    }

    /** Lets {@code ms} of real time pass, scanning every tick; with heartbeats every second if asked. */
    void run(long ms, boolean withHeartbeats) {
        long end = now + ms;
        while (now < end) {
            now += TICK;
            plant.step(TICK / 1000.0 * scale);
            if (withHeartbeats && now % 1000 == 0) {
                heartbeat();
            }
            plc.scan(now, TICK / 1000.0 * scale);
        }
    }

    void heartbeat() {
        plc.onMessage(topics.heartbeat(), bytes("{\"v\":1,\"seq\":" + (++heartbeats) + ",\"t\":" + now + "}"), now);
    }

    /** Sends a command and returns its ack (the last ack published). */
    JsonNode command(String json) {
        int before = outbox.of("ack").size();
        plc.onMessage(topics.cmd(), bytes(json), now);
        List<RecordingOutbox.Sent> acks = outbox.of("ack");
        return acks.size() > before ? acks.get(acks.size() - 1).json() : null;
    }

    JsonNode write(String tag, String valueJson) {
        return command("{\"v\":1,\"id\":\"c-" + (++commands) + "\",\"op\":\"write\",\"tag\":\"" + tag + "\",\"value\":"
                + valueJson + "}");
    }

    JsonNode reset() {
        return command("{\"v\":1,\"id\":\"c-" + (++commands) + "\",\"op\":\"reset\"}");
    }

    JsonNode lastTele() {
        plc.scan(now, 0); // make sure the latest state went out
        RecordingOutbox.Sent tele = outbox.last("tele");
        return tele == null ? null : tele.json();
    }

    JsonNode lastStatus() {
        return outbox.last("status").json();
    }

    List<JsonNode> events() {
        return outbox.of("event").stream().map(RecordingOutbox.Sent::json).toList();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
