package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;

/**
 * One committee member.
 *
 * @param name      human-readable name (logs, status)
 * @param publicKey Ed25519 identity
 * @param stake     voting power, at least 1
 * @param address   peer address "host:port" (may be empty for a one-validator committee)
 */
public record Validator(String name, PublicKey publicKey, long stake, String address) {
    public Validator {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("validator name is missing");
        if (publicKey == null) throw new IllegalArgumentException("validator " + name + " has no public key");
        if (stake < 1) throw new IllegalArgumentException("validator " + name + " has stake " + stake + ", must be >= 1");
        if (address == null) address = "";
    }

    public void encode(CanonicalWriter out) {
        out.string(name);
        publicKey.encode(out);
        out.u64(stake);
        out.string(address);
    }

    public static Validator decode(CanonicalReader in) {
        String name = in.string();
        PublicKey key = PublicKey.decode(in);
        long stake = in.u64NonNegative("stake");
        // Checked here so the message does not quote the (untrusted, possibly huge) name.
        if (stake < 1) throw new CodecException("invalid validator: stake " + stake + ", must be >= 1");
        String address = in.string();
        try {
            return new Validator(name, key, stake, address);
        } catch (IllegalArgumentException e) {
            // A blank name is a malformed encoding here, not a programming error.
            throw new CodecException("invalid validator: " + e.getMessage());
        }
    }
}
