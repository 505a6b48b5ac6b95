package dev.shoal.sequencer.core.consensus;

import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import java.util.Arrays;

/**
 * The deterministic leader of each round: an integer draw, seeded by SHA-256 of (epoch, round), over
 * integer weights stake x reputation factor. The factors come from a {@link ReputationState}, which
 * depends only on the committed prefix, so validators with the same prefix agree on every leader.
 * Immutable.
 */
public final class LeaderSchedule {
    private static final String DOMAIN = "shoal.leader";

    private final long epoch;
    private final long[] cumulative;
    private final long totalWeight;

    public LeaderSchedule(Committee committee, ReputationState reputation) {
        if (reputation.size() != committee.size()) {
            throw new IllegalArgumentException("reputation covers " + reputation.size() + " validators, committee has "
                    + committee.size());
        }
        this.epoch = committee.epoch();
        this.cumulative = new long[committee.size()];
        long sum = 0;
        for (int i = 0; i < cumulative.length; i++) {
            sum = Math.addExact(sum, Math.multiplyExact(committee.stake(i), reputation.factor(i)));
            cumulative[i] = sum;
        }
        this.totalWeight = sum;
    }

    /** Weight of a validator in the draw: stake x reputation factor. */
    public long weight(int validator) {
        return cumulative[validator] - (validator == 0 ? 0 : cumulative[validator - 1]);
    }

    public long totalWeight() {
        return totalWeight;
    }

    /** The committee index of the leader of {@code round}. */
    public int leader(long round) {
        long draw = Long.remainderUnsigned(seed(epoch, round), totalWeight);
        // First index whose cumulative weight exceeds the draw.
        int i = Arrays.binarySearch(cumulative, draw + 1);
        return i >= 0 ? i : -i - 1;
    }

    /** The first 8 bytes (little-endian) of SHA-256(domain, u64 epoch, u64 round). */
    static long seed(long epoch, long round) {
        byte[] h = Digest.sha256(DOMAIN, new CanonicalWriter(16).u64(epoch).u64(round).toByteArray()).toBytes();
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (h[i] & 0xFFL) << (8 * i);
        return v;
    }
}
