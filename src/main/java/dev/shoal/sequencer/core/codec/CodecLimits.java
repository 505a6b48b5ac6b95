package dev.shoal.sequencer.core.codec;

/**
 * Upper bounds a decoder enforces before allocating, so hostile length prefixes end in a
 * {@link CodecException} and never in an OutOfMemoryError.
 *
 * @param maxBytesLength largest byte string (a transaction payload, a compressed blob)
 * @param maxListLength  largest element count of any list (transactions, parents, signatures)
 */
public record CodecLimits(long maxBytesLength, long maxListLength) {
    /** Defaults sized for the wire: 4 MiB byte strings, 100,000-element lists. */
    public static final CodecLimits DEFAULT = new CodecLimits(4L << 20, 100_000);

    public CodecLimits {
        if (maxBytesLength < 0 || maxListLength < 0) {
            throw new IllegalArgumentException("codec limits must be non-negative");
        }
    }
}
