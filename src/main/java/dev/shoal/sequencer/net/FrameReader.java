package dev.shoal.sequencer.net;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into frames {@code u32le length | payload | trailer}. The length is checked
 * against the current limit as soon as its four bytes arrive, so an oversized frame is refused before
 * any of it is buffered. Limit and trailer (0 during the handshake, the MAC afterwards) may change
 * between frames, from inside the frame callback.
 */
final class FrameReader {
    interface Listener {
        /** One complete frame; {@code trailer} is empty when the trailer length is 0. */
        void onFrame(byte[] payload, byte[] trailer);

        /** A length prefix above the limit; the reader has stopped. */
        void onOversized(long length, int limit);
    }

    private final Listener listener;
    private Buffer pending = Buffer.buffer();
    private int pos;
    private int maxPayload;
    private int trailerLength;
    private boolean stopped;

    FrameReader(int maxPayload, int trailerLength, Listener listener) {
        this.maxPayload = maxPayload;
        this.trailerLength = trailerLength;
        this.listener = listener;
    }

    /** Limits for the frames after the current one. */
    void mode(int maxPayload, int trailerLength) {
        this.maxPayload = maxPayload;
        this.trailerLength = trailerLength;
    }

    /** Ignore everything from now on (the connection is closing). */
    void stop() {
        stopped = true;
        pending = Buffer.buffer();
        pos = 0;
    }

    void feed(Buffer chunk) {
        if (stopped) return;
        pending.appendBuffer(chunk);
        while (!stopped) {
            int available = pending.length() - pos;
            if (available < 4) break;
            long length = pending.getUnsignedIntLE(pos);
            if (length > maxPayload) {
                int limit = maxPayload;
                stop();
                listener.onOversized(length, limit);
                return;
            }
            long needed = 4L + length + trailerLength;
            if (available < needed) break;
            int total = (int) needed;
            int start = pos + 4;
            byte[] payload = pending.getBytes(start, start + (int) length);
            byte[] trailer = pending.getBytes(start + (int) length, pos + total);
            pos += total;
            listener.onFrame(payload, trailer);
        }
        if (stopped) return;
        if (pos == pending.length()) {
            pending = Buffer.buffer();
            pos = 0;
        } else if (pos > 0) {
            // Keep only the incomplete frame: the copy is at most one frame, made once per completed frame.
            pending = pending.getBuffer(pos, pending.length());
            pos = 0;
        }
    }

    /** A frame as written on the wire: length, payload, trailer. */
    static Buffer frame(byte[] payload, byte[] trailer) {
        return Buffer.buffer(4 + payload.length + trailer.length)
                .appendUnsignedIntLE(payload.length)
                .appendBytes(payload)
                .appendBytes(trailer);
    }

    static Buffer frame(byte[] payload) {
        return frame(payload, new byte[0]);
    }
}
