package dev.shoal.sequencer.checkpoint;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.CodecException;
import dev.shoal.sequencer.core.codec.Encodable;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.types.Certificate;
import java.util.List;

/**
 * What a checkpoint holds, in the canonical bincode-style layout: the committee epoch, the highest
 * DAG round at the snapshot, the consensus state (which carries the reputation state) and the DAG
 * window — every certificate at or above the GC round, ordered by (round, author).
 *
 * @param epoch  committee epoch the state belongs to
 * @param round  highest DAG round when the snapshot was taken (the checkpoint's key)
 * @param state  consensus and reputation state
 * @param window certificates at or above {@link #gcRound()}, by (round, author)
 */
public record CheckpointBody(long epoch, long round, ConsensusState state, List<Certificate> window) implements Encodable {

    public CheckpointBody {
        window = List.copyOf(window);
    }

    /** The GC round of the window: the consensus keeps certificates from here up. */
    public long gcRound(long gcDepth) {
        return Math.max(0, state.lastAnchorRound() - gcDepth);
    }

    @Override
    public void encode(CanonicalWriter out) {
        out.u64(epoch).u64(round);
        state.encode(out);
        out.list(window, (w, c) -> c.encode(w));
    }

    public static CheckpointBody decode(CanonicalReader in) {
        long epoch = in.u64NonNegative("epoch");
        long round = in.u64NonNegative("round");
        ConsensusState state = ConsensusState.decode(in);
        List<Certificate> window = in.list(Certificate::decode, 64);
        for (int i = 1; i < window.size(); i++) {
            Certificate a = window.get(i - 1), b = window.get(i);
            if (a.round() > b.round() || (a.round() == b.round() && a.author() >= b.author())) {
                throw new CodecException("checkpoint window is not ordered by (round, author) at position " + i);
            }
        }
        return new CheckpointBody(epoch, round, state, window);
    }
}
