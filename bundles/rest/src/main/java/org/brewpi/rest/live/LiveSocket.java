package org.brewpi.rest.live;

import java.util.function.Consumer;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty end of one {@code /api/live} connection. The feed is one-way: what the client sends is
 * ignored. Public, as Jetty looks its listener methods up reflectively.
 */
public final class LiveSocket implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSocket.class);

    private final LiveHub hub;
    private volatile LiveClient client;

    LiveSocket(LiveHub hub) {
        this.hub = hub;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        client = hub.connect(new JettySink(session, String.valueOf(session.getRemoteSocketAddress())));
    }

    @Override
    public void onWebSocketText(String message) {
        // one-way feed
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        LiveClient c = client;
        if (c != null) {
            c.closedByPeer();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("live connection failed: {}", cause.toString());
        LiveClient c = client;
        if (c != null) {
            c.closedByPeer();
        }
    }

    /** @param remote the peer, noted while it is known (it is gone once the connection closes) */
    private record JettySink(Session session, String remote) implements LiveClient.Sink {

        @Override
        public void send(String text, Consumer<Throwable> done) {
            session.sendText(text, Callback.from(() -> done.accept(null), done));
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }

        @Override
        public void abort() {
            session.disconnect();
        }
    }
}
