package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import java.util.List;

/**
 * A header with votes from validators holding at least 2f+1 stake: the signer bitmap and the
 * signers' signatures of the header's vote message, in ascending signer order.
 * The digest covers the header only (not who signed), so one header has one certificate digest.
 * Round-0 genesis certificates carry no signatures.
 */
public final class Certificate implements Encodable {
    private static final String DOMAIN = "shoal.certificate";

    private final Header header;
    private final SignerBitmap signers;
    private final List<Signature> signatures;
    private final Digest digest;

    public Certificate(Header header, SignerBitmap signers, List<Signature> signatures) {
        this.header = header;
        this.signers = signers;
        this.signatures = List.copyOf(signatures);
        if (signers.count() != this.signatures.size()) {
            throw new IllegalArgumentException("certificate has " + signers.count() + " signers but "
                    + this.signatures.size() + " signatures");
        }
        this.digest = digestOf(header.digest());
    }

    /** The certificate digest that a header with this digest gets. */
    public static Digest digestOf(Digest headerDigest) {
        return Digest.sha256(DOMAIN, headerDigest.toBytes());
    }

    public Header header() { return header; }
    public SignerBitmap signers() { return signers; }
    public List<Signature> signatures() { return signatures; }
    public Digest digest() { return digest; }
    public long round() { return header.round(); }
    public int author() { return header.author(); }
    public long epoch() { return header.epoch(); }
    public List<Digest> parents() { return header.parents(); }

    @Override
    public void encode(CanonicalWriter out) {
        header.encode(out);
        signers.encode(out);
        out.list(signatures, (w, s) -> s.encode(w));
    }

    public static Certificate decode(CanonicalReader in) {
        Header header = Header.decode(in);
        SignerBitmap signers = SignerBitmap.decode(in);
        List<Signature> sigs = in.list(Signature::decode, Signature.LENGTH);
        try {
            return new Certificate(header, signers, sigs);
        } catch (IllegalArgumentException e) {
            throw new CodecException("invalid certificate: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate c && digest.equals(c.digest) && signers.equals(c.signers)
                && signatures.equals(c.signatures);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Certificate[r" + round() + " a" + author() + " " + digest.shortHex() + " signers=" + signers + "]";
    }
}
