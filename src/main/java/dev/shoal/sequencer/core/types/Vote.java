package dev.shoal.sequencer.core.types;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Encodable;

/**
 * A validator's signed statement that it checked a header and will not vote for another
 * header of the same author and round.
 *
 * @param headerDigest digest of the header voted for
 * @param epoch        committee epoch of the header
 * @param round        round of the header
 * @param headerAuthor committee index of the header's author
 * @param voter        committee index of the voter
 * @param signature    voter's Ed25519 signature of {@link Header#voteMessage(Digest)}
 */
public record Vote(Digest headerDigest, long epoch, long round, int headerAuthor, int voter, Signature signature)
        implements Encodable {

    public Vote {
        if (epoch < 0 || round < 0 || headerAuthor < 0 || voter < 0) {
            throw new IllegalArgumentException("vote fields must be non-negative");
        }
    }

    /** True when the signature verifies under the given voter key. */
    public boolean verify(PublicKey voterKey) {
        return voterKey.verify(Header.voteMessage(headerDigest), signature);
    }

    @Override
    public void encode(CanonicalWriter out) {
        headerDigest.encode(out);
        out.u64(epoch).u64(round).u32(headerAuthor).u32(voter);
        signature.encode(out);
    }

    public static Vote decode(CanonicalReader in) {
        Digest d = Digest.decode(in);
        long epoch = in.u64NonNegative("epoch");
        long round = in.u64NonNegative("round");
        int author = in.u32AsInt("header author");
        int voter = in.u32AsInt("voter");
        Signature sig = Signature.decode(in);
        return new Vote(d, epoch, round, author, voter, sig);
    }
}
