package dev.shoal.sequencer.peer;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.net.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a validator with an empty database joins from a peer's checkpoint instead of syncing the whole
 * history round by round ({@code sequencer.sync.join-from-checkpoint}).
 */
public enum JoinPolicy {
    /**
     * Only when history is not available: fewer than f+1 stake of the peers that answered still hold
     * their certificates from round 1 (the others prune by their retention policy, {@code sequencer.retention.*}).
     * f+1 so that at least one honest peer holds what a genesis sync will ask for; a Byzantine peer
     * claiming full history cannot keep a joiner from using checkpoints on its own.
     */
    WHEN_PRUNED,
    /** Whenever a peer offers a checkpoint (fast join; the joiner's commit log starts at the checkpoint). */
    ALWAYS,
    /** Never: always sync from genesis. */
    NEVER;

    public static JoinPolicy parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "when-pruned" -> WHEN_PRUNED;
            case "always" -> ALWAYS;
            case "never" -> NEVER;
            default -> throw new IllegalArgumentException("sequencer.sync.join-from-checkpoint must be when-pruned, always or never, not '"
                    + value + "'");
        };
    }

    /** True once enough peers answered to decide: all of them, or with us a quorum. */
    static boolean enoughAnswers(Committee committee, int self, Map<Integer, PeerMessage.CheckpointOffer> offers) {
        if (offers.size() >= committee.size() - 1) return true;
        List<Integer> answered = new ArrayList<>(offers.keySet());
        answered.add(self);
        return committee.stakeOf(answered) >= committee.quorumThreshold();
    }

    /**
     * The peers whose checkpoints to try, or none (sync from genesis). {@code reason} receives why,
     * for the log.
     */
    List<Integer> offersToTry(Committee committee, Map<Integer, PeerMessage.CheckpointOffer> offers, StringBuilder reason) {
        List<Integer> withCheckpoint = new ArrayList<>();
        List<Integer> withHistory = new ArrayList<>();
        offers.forEach((peer, o) -> {
            if (o.hasCheckpoint()) withCheckpoint.add(peer);
            if (o.lowestRound() == 1) withHistory.add(peer);
        });
        withCheckpoint.sort(null);
        if (this == NEVER) {
            reason.append("joining from checkpoints is off (sequencer.sync.join-from-checkpoint=never)");
            return List.of();
        }
        if (withCheckpoint.isEmpty()) {
            reason.append("no peer of the ").append(offers.size()).append(" that answered offers a checkpoint");
            return List.of();
        }
        if (this == WHEN_PRUNED && committee.stakeOf(withHistory) >= committee.validityThreshold()) {
            reason.append("peers ").append(withHistory).append(" hold the history from round 1");
            return List.of();
        }
        reason.append(this == ALWAYS ? "sequencer.sync.join-from-checkpoint=always"
                : "peers prune their history (only " + withHistory + " hold it from round 1)");
        return withCheckpoint;
    }
}
