package dev.shoal.sequencer.core.types;

import java.util.HexFormat;

/** Lower-case hex, the one textual form of digests, keys and signatures. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Decodes hex, throwing IllegalArgumentException with a clear message on bad input. */
    public static byte[] decode(String hex) {
        if (hex == null) throw new IllegalArgumentException("hex string is missing");
        if ((hex.length() & 1) != 0) throw new IllegalArgumentException("hex string has odd length " + hex.length());
        try {
            return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex string: " + abbreviate(hex));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
