package org.brewpi.api.zone;

/**
 * Something a PLC reported in its event topic: an interlock trip or clear, a sensor fault,
 * fail-safe entry or exit, or information.
 *
 * @param kind {@code interlock}, {@code sensor}, {@code failsafe} or {@code info}
 */
public record ZoneEvent(String zone, long boot, long seq, long plcTime, long arrivalTime, String kind, String code,
        boolean active, String message) {
}
