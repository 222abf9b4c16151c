package org.brewpi.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which connection a lost-connection event stands for, when one client id connects twice. */
class ConnectedClientsTest {

    private final ConnectedClients clients = new ConnectedClients();

    private static ConnectedClients.Client client(String id, String payload) {
        return new ConnectedClients.Client(id, "hlt", System.currentTimeMillis(),
                new ConnectedClients.Will("brewpi/v1/hlt/status", payload.getBytes(), 1, true));
    }

    @Test
    void theOldConnectionsLossAfterATakeoverLeavesTheNewConnectionAndItsWill() {
        clients.connected(client("hlt-plc", "old"));
        clients.connected(client("hlt-plc", "new")); // takeover, reported before the old socket's loss

        assertThat(clients.lost("hlt-plc")).as("the old connection's loss").isEmpty();
        assertThat(clients.get("hlt-plc")).isPresent();
        assertThat(clients.lost("hlt-plc")).map(c -> new String(c.will().payload())).contains("new");
        assertThat(clients.get("hlt-plc")).isEmpty();
    }

    @Test
    void aLossReportedBeforeTheNewConnectIsTheOldConnectionsOwn() {
        clients.connected(client("hlt-plc", "old"));
        assertThat(clients.lost("hlt-plc")).map(c -> new String(c.will().payload())).contains("old");
        clients.connected(client("hlt-plc", "new"));
        assertThat(clients.lost("hlt-plc")).map(c -> new String(c.will().payload())).contains("new");
    }

    @Test
    void aCleanDisconnectForgetsTheClientAndAnyTakeoverPending() {
        clients.connected(client("hlt-plc", "old"));
        clients.connected(client("hlt-plc", "new"));
        assertThat(clients.disconnected("hlt-plc")).isPresent();
        clients.connected(client("hlt-plc", "third"));
        assertThat(clients.lost("hlt-plc")).map(c -> new String(c.will().payload())).contains("third");
    }
}
