package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.Arrays;

/** An opaque client transaction. Its digest is the plain SHA-256 of the payload (the API's digest). */
public final class Transaction implements Encodable {
    private final byte[] payload;
    private Digest digest;

    private Transaction(byte[] payload) {
        this.payload = payload;
    }

    public static Transaction of(byte[] payload) {
        return new Transaction(payload.clone());
    }

    public byte[] payload() {
        return payload.clone();
    }

    public int size() {
        return payload.length;
    }

    public Digest digest() {
        Digest d = digest;
        if (d == null) digest = d = Digest.sha256(payload);
        return d;
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.bytes(payload);
    }

    public static Transaction decode(CanonicalReader in) {
        return new Transaction(in.bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && Arrays.equals(payload, t.payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Transaction[" + digest().shortHex() + ", " + payload.length + " bytes]";
    }
}
