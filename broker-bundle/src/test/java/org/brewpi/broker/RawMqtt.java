package org.brewpi.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT 3.1.1 client over a plain socket, for what a well-behaved client library will not do: send
 * garbage, cut a packet short, leave a will and then let its socket die.
 */
final class RawMqtt implements AutoCloseable {

    private final Socket socket;

    RawMqtt(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
    }

    /** A will for {@link #connectPacket}. */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
    }

    static byte[] connectPacket(String clientId, String user, String password, Will will) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        writeString(variable, "MQTT");
        variable.write(4); // protocol level 3.1.1
        int flags = 0x02; // clean session
        if (will != null) {
            flags |= 0x04 | (will.qos() << 3) | (will.retain() ? 0x20 : 0);
        }
        if (password != null) {
            flags |= 0x40;
        }
        if (user != null) {
            flags |= 0x80;
        }
        variable.write(flags);
        variable.write(0);
        variable.write(60); // keep alive 60 s
        writeString(variable, clientId);
        if (will != null) {
            writeString(variable, will.topic());
            writeBytes(variable, will.payload());
        }
        if (user != null) {
            writeString(variable, user);
        }
        if (password != null) {
            writeString(variable, password);
        }
        return packet(0x10, variable.toByteArray());
    }

    static byte[] publishPacket(String topic, byte[] payload, int qos, int packetId) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        writeString(variable, topic);
        if (qos > 0) {
            variable.write(packetId >> 8);
            variable.write(packetId & 0xFF);
        }
        variable.writeBytes(payload);
        return packet(0x30 | (qos << 1), variable.toByteArray());
    }

    static byte[] subscribePacket(String filter, int packetId) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        variable.write(packetId >> 8);
        variable.write(packetId & 0xFF);
        writeString(variable, filter);
        variable.write(0);
        return packet(0x82, variable.toByteArray());
    }

    static final byte[] DISCONNECT = { (byte) 0xE0, 0x00 };

    static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Sends bytes the broker may refuse halfway: a reset or broken pipe while writing is expected, not a failure. */
    void sendIgnoringClose(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException e) {
            // the broker closed the connection before all was written
        }
    }

    /** Sends a CONNECT and returns the CONNACK return code. */
    int connect(String clientId, String user, String password, Will will) throws IOException {
        send(connectPacket(clientId, user, password, will));
        byte[] connack = read(4);
        if (connack[0] != 0x20 || connack[1] != 2) {
            throw new IOException("not a CONNACK: " + connack[0]);
        }
        return connack[3];
    }

    byte[] read(int count) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new IOException("connection closed after " + bytes.length + " of " + count + " bytes");
        }
        return bytes;
    }

    /** @return whether the broker closed the connection (end of stream or reset) within the socket timeout */
    boolean closedByBroker() throws IOException {
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    /** Lets the socket die without DISCONNECT, as a PLC losing power or Wi-Fi does (RST, no FIN handshake). */
    void die() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
