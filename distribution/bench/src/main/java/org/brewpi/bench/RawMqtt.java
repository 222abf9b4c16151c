package org.brewpi.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT 3.1.1 connection on a socket: CONNECT, QoS 0 PUBLISH and SUBSCRIBE written by hand. The load
 * generator uses it instead of a client library so that what is measured is the broker, not the client.
 */
final class RawMqtt implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawMqtt(String host, int port, String clientId, String user, String password) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4); // protocol level 3.1.1
        body.write(0x02 | (user != null ? 0x80 : 0) | (password != null ? 0x40 : 0)); // clean session
        body.write(0);
        body.write(60); // keep-alive, s
        string(body, clientId);
        if (user != null) {
            string(body, user);
        }
        if (password != null) {
            string(body, password);
        }
        packet(0x10, body.toByteArray());
        out.flush();
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        in.readUnsignedByte();
        int code = in.readUnsignedByte();
        if (type != 0x20 || code != 0) {
            throw new IOException("CONNECT refused for " + user + ": CONNACK code " + code);
        }
    }

    /** Buffered: call {@link #flush()} to send. */
    synchronized void publish(String topic, byte[] payload) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(topic.length() + payload.length + 2);
        string(body, topic);
        body.write(payload);
        packet(0x30, body.toByteArray());
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    synchronized void subscribe(String filter) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        body.write(1); // packet id
        string(body, filter);
        body.write(0); // QoS 0
        packet(0x82, body.toByteArray());
        out.flush();
    }

    /** A received PUBLISH (QoS 0 or 1: the packet id is skipped, and a QoS 1 one is acknowledged). */
    record Publish(String topic, byte[] payload) {
    }

    /** Reads packets until a PUBLISH arrives. */
    Publish readPublish() throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            int length = remainingLength();
            if ((type & 0xf0) != 0x30) {
                in.skipNBytes(length);
                continue;
            }
            int topicLength = in.readUnsignedShort();
            String topic = new String(in.readNBytes(topicLength), StandardCharsets.UTF_8);
            int rest = length - 2 - topicLength;
            int qos = (type >> 1) & 0x03;
            if (qos > 0) {
                int id = in.readUnsignedShort();
                rest -= 2;
                synchronized (this) {
                    out.write(0x40); // PUBACK
                    out.write(2);
                    out.write(id >> 8);
                    out.write(id & 0xff);
                    out.flush();
                }
            }
            return new Publish(topic, in.readNBytes(rest));
        }
    }

    private int remainingLength() throws IOException {
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return length;
    }

    /** Reads one packet and tells whether it was a PUBLISH. */
    boolean readIsPublish() throws IOException {
        int type = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        in.skipNBytes(length);
        return (type & 0xf0) == 0x30;
    }

    private void packet(int header, byte[] body) throws IOException {
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.write(body);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xff);
        out.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close(); // no DISCONNECT: like a PLC losing power
    }
}
