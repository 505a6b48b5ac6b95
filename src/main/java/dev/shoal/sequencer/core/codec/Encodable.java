package dev.shoal.sequencer.core.codec;

/** A value with a canonical encoding. */
public interface Encodable {
    void encode(CanonicalWriter out);

    /** The canonical bytes of this value. */
    default byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter();
        encode(w);
        return w.toByteArray();
    }
}
