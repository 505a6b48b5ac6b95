package dev.shoal.sequencer.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A blocking test peer on a real socket: speaks the handshake with the production classes, or sends anything at all. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void writeFrame(byte[] payload) throws IOException {
        write(FrameReader.frame(payload).getBytes());
    }

    /** A handshake frame from the server. */
    byte[] readFrame() throws IOException {
        byte[] len = new byte[4];
        in.readFully(len);
        int n = (len[0] & 0xFF) | (len[1] & 0xFF) << 8 | (len[2] & 0xFF) << 16 | (len[3] & 0xFF) << 24;
        if (n < 0 || n > HandshakeMessages.MAX_FRAME) throw new IOException("unexpected frame length " + n);
        byte[] payload = new byte[n];
        in.readFully(payload);
        return payload;
    }

    /** Runs the whole handshake; returns the MAC state of our data frames. */
    FrameMac handshake(ClientHandshake hs) throws IOException, HandshakeException {
        writeFrame(hs.hello());
        writeFrame(hs.onServerAuth(readFrame()));
        return hs.onAccept(readFrame());
    }

    /** A data frame with the next MAC. */
    static byte[] dataFrame(FrameMac mac, byte[] payload) {
        return FrameReader.frame(payload, mac.seal(payload)).getBytes();
    }

    /** True when the server closed the connection within the timeout (end of stream or reset). */
    boolean closedWithin(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            while (true) {
                if (in.read() < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
