package org.brewpi.broker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The broker's counters, as the health endpoint shows them. Thread-safe and cheap to bump. */
final class BrokerStats {

    private final Map<String, LongAdder> loginsRefused = new ConcurrentHashMap<>();
    private final LongAdder aclPublishDenied = new LongAdder();
    private final LongAdder aclSubscribeDenied = new LongAdder();
    private final LongAdder protocolViolations = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();

    void loginRefused(String reason) {
        loginsRefused.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    void publishDenied() {
        aclPublishDenied.increment();
    }

    void subscribeDenied() {
        aclSubscribeDenied.increment();
    }

    void protocolViolation() {
        protocolViolations.increment();
    }

    void messageIn() {
        messagesIn.increment();
    }

    void messageOut() {
        messagesOut.increment();
    }

    void handlerError() {
        handlerErrors.increment();
    }

    long loginsRefused() {
        return loginsRefused.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Refused logins by reason, e.g. {@code bad_password}, {@code anonymous}, {@code will_not_allowed}. */
    Map<String, Long> loginsRefusedByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        loginsRefused.forEach((reason, count) -> byReason.put(reason, count.sum()));
        return byReason;
    }

    long aclPublishDenied() {
        return aclPublishDenied.sum();
    }

    long aclSubscribeDenied() {
        return aclSubscribeDenied.sum();
    }

    /** Connections closed for breaking the protocol: undecodable, out-of-order or oversized packets. */
    long protocolViolations() {
        return protocolViolations.sum();
    }

    /** Messages from MQTT clients handed to in-process subscribers' dispatch. */
    long messagesIn() {
        return messagesIn.sum();
    }

    /** Messages the SCADA published through the transport. */
    long messagesOut() {
        return messagesOut.sum();
    }

    /** Exceptions thrown by in-process subscribers (caught; the message still reached the others). */
    long handlerErrors() {
        return handlerErrors.sum();
    }
}
