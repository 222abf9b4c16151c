package org.brewpi.sim.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.brewpi.sim.protocol.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PLC's link on the real Mosquitto (127.0.0.1:1883). */
@Timeout(60)
class MqttLinkTest {

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    /** Counts what the link reports. */
    static final class Events implements MqttLink.Listener {
        final AtomicInteger up = new AtomicInteger();
        final AtomicInteger down = new AtomicInteger();

        @Override
        public void linkUp() {
            up.incrementAndGet();
        }

        @Override
        public void linkDown() {
            down.incrementAndGet();
        }

        @Override
        public void message(String topic, byte[] payload) {
        }
    }

    /**
     * A zone re-created while its old PLC is still connecting (its file rewritten at start): the old connect must not
     * arrive after the new PLC's and take over its session, or the new PLC sees its link lost and latches fail-safe.
     */
    @Test
    void aLinkDroppedWhileConnectingDoesNotTakeOverItsSuccessor() throws Exception {
        String clientId = "linktest-" + System.nanoTime();
        Topics topics = new Topics("linktest" + System.nanoTime(), "fv1");
        try (SlowStart network = new SlowStart(1883, 600)) {
            Events oldEvents = new Events();
            MqttLink old = new MqttLink("tcp://127.0.0.1:" + network.port(), topics, clientId, null, loop, oldEvents);
            loop.submit(old::start).get();
            assertThat(network.accepted.await(5, TimeUnit.SECONDS)).as("the old PLC's connect is on the wire").isTrue();
            loop.submit(old::dropAbruptly).get(10, TimeUnit.SECONDS);

            Events newEvents = new Events();
            MqttLink successor = new MqttLink("tcp://127.0.0.1:1883", topics, clientId, null, loop, newEvents);
            loop.submit(successor::start).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> newEvents.up.get() == 1);
            // the old CONNECT, had it still been held back, arrives within these 1.5 s
            await("the successor keeps its session").during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                    .until(() -> newEvents.down.get() == 0);
            assertThat(oldEvents.up.get()).as("the dropped PLC never reports itself up").isZero();
            loop.submit(successor::dropAbruptly).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A TCP relay to the broker that holds the first bytes of each connection for a while, as a slow network would:
     * what the client wrote still arrives, even if the client closed its socket meanwhile.
     */
    static final class SlowStart implements AutoCloseable {
        final CountDownLatch accepted = new CountDownLatch(1);
        private final ServerSocket server;
        private final int target;
        private final long holdMs;
        private final Thread acceptor;

        SlowStart(int target, long holdMs) throws IOException {
            this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            this.target = target;
            this.holdMs = holdMs;
            this.acceptor = new Thread(this::accept, "slow-start");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket broker = new Socket(InetAddress.getLoopbackAddress(), target);
                    accepted.countDown();
                    pump(client.getInputStream(), broker.getOutputStream(), holdMs, broker);
                    pump(broker.getInputStream(), client.getOutputStream(), 0, client);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pump(InputStream in, OutputStream out, long holdMs, Socket closeAfter) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    int n = in.read(buffer);
                    Thread.sleep(holdMs); // the network's delay, not a wait for something
                    while (n >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                        n = in.read(buffer);
                    }
                } catch (IOException | InterruptedException e) {
                    // one side closed: the relay ends
                }
                try {
                    closeAfter.close();
                } catch (IOException e) {
                    // already closed
                }
            }, "slow-start-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
