package dev.shoal.sequencer.api.problem;

import dev.shoal.sequencer.core.types.Hex;

/**
 * Parses query and path parameters (taken as strings) with messages that name the parameter
 * and say what is wrong, instead of the framework's generic conversion error.
 */
public final class Params {
    private Params() {}

    /** An optional non-negative integer within [min, max]; null when absent. */
    public static Long optionalLong(String name, String raw, long min, long max) {
        if (raw == null || raw.isEmpty()) return null;
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "must be an integer, got '" + abbreviate(raw) + "'");
        }
        if (v < min || v > max) throw new InvalidParameterException(name, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    public static long requiredLong(String name, String raw, long min, long max) {
        Long v = optionalLong(name, raw, min, max);
        if (v == null) throw new InvalidParameterException(name, "is required");
        return v;
    }

    /** A 32-byte digest or key as 64 hex characters. */
    public static byte[] hex32(String name, String raw) {
        if (raw == null || raw.length() != 64) {
            throw new InvalidParameterException(name, "must be 64 hex characters (32 bytes), got " + (raw == null ? "nothing" : raw.length() + " characters"));
        }
        try {
            return Hex.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(name, "must be 64 hex characters (32 bytes), got '" + abbreviate(raw) + "'");
        }
    }

    /** An optional boolean: true or false (case-insensitive). */
    public static Boolean optionalBoolean(String name, String raw) {
        if (raw == null || raw.isEmpty()) return null;
        if ("true".equalsIgnoreCase(raw)) return Boolean.TRUE;
        if ("false".equalsIgnoreCase(raw)) return Boolean.FALSE;
        throw new InvalidParameterException(name, "must be true or false, got '" + abbreviate(raw) + "'");
    }

    /** Default page size when a listing is asked without a limit (never above the configured maximum). */
    public static final int DEFAULT_LIMIT = 100;

    /** The {@code limit} of a listing: 1..max, default {@link #DEFAULT_LIMIT} (or max if smaller). */
    public static int limit(String raw, int max) {
        Long l = optionalLong("limit", raw, 1, max);
        return l == null ? Math.min(DEFAULT_LIMIT, max) : l.intValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
