package org.brewpi.broker;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The MQTT clients connected right now, with the will each one left, as the broker's events report them. */
final class ConnectedClients {

    /** A client's last will, kept so the in-process subscribers get it if the client's connection is lost. */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
    }

    /**
     * @param user the zone id it logged in as, {@code null} if anonymous
     * @param since epoch ms of the CONNECT
     * @param will {@code null} if it left none
     */
    record Client(String clientId, String user, long since, Will will) {
    }

    private final Map<String, Client> byClientId = new ConcurrentHashMap<>();
    /**
     * Connections replaced by a newer one with the same client id (session takeover: a PLC that reconnects
     * before the broker noticed its old socket die). Moquette reports the old connection's loss after the new
     * CONNECT, by client id only: that loss must neither forget the new connection nor publish a will, since
     * the client is alive on its new connection.
     */
    private final Map<String, Integer> replaced = new HashMap<>();

    synchronized void connected(Client client) {
        if (byClientId.put(client.clientId(), client) != null) {
            replaced.merge(client.clientId(), 1, Integer::sum);
        }
    }

    /** A clean DISCONNECT: the client is gone and its will discarded. */
    synchronized Optional<Client> disconnected(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        replaced.remove(clientId);
        return Optional.ofNullable(byClientId.remove(clientId));
    }

    /**
     * A lost connection.
     *
     * @return the client that went away, empty if it was unknown, already gone, or a replaced connection
     */
    synchronized Optional<Client> lost(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        Integer stale = replaced.get(clientId);
        if (stale != null) {
            if (stale == 1) {
                replaced.remove(clientId);
            } else {
                replaced.put(clientId, stale - 1);
            }
            return Optional.empty();
        }
        return Optional.ofNullable(byClientId.remove(clientId));
    }

    Optional<Client> get(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(byClientId.get(clientId));
    }

    List<Client> list() {
        return byClientId.values().stream().sorted(Comparator.comparing(Client::clientId)).toList();
    }

    int count() {
        return byClientId.size();
    }
}
