package dev.shoal.sequencer.core.codec;

import java.util.function.Function;

/** Whole-buffer decoding: the value must use every byte. */
public final class Codec {
    private Codec() {}

    public static <T> T decode(byte[] bytes, Function<CanonicalReader, T> decoder) {
        return decode(bytes, CodecLimits.DEFAULT, decoder);
    }

    public static <T> T decode(byte[] bytes, CodecLimits limits, Function<CanonicalReader, T> decoder) {
        CanonicalReader in = new CanonicalReader(bytes, limits);
        T value = decoder.apply(in);
        in.expectEnd();
        return value;
    }
}
