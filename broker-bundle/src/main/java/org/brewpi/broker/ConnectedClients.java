package org.brewpi.broker;

import java.util.Comparator;
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

    void connected(Client client) {
        byClientId.put(client.clientId(), client);
    }

    /** @return the client that went away, if it was known */
    Optional<Client> gone(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(byClientId.remove(clientId));
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
