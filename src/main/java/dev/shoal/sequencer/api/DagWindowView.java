package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.consensus.DagWindow;
import dev.shoal.sequencer.core.types.Certificate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code GET /api/v1/dag}: the last rounds of this node's DAG, as the explorer page draws them. */
@Schema(name = "DagWindow", description = "The last rounds of this node's DAG: certificates, anchor slots and leader reputation")
public record DagWindowView(
        long fromRound,
        long toRound,
        @Schema(description = "Lowest round the DAG still holds (below it, certificates are garbage-collected from memory)") long gcRound,
        @Schema(description = "Index of the last committed sub-DAG this node's consensus produced") long lastCommitIndex,
        @Schema(description = "Round of the last committed anchor") long lastAnchorRound,
        @Schema(description = "Stake that makes f+1: the support an anchor needs for the direct commit rule") long validityThreshold,
        @Schema(description = "Certificates of the window, by (round, author)") List<Vertex> certificates,
        @Schema(description = "Anchor slots of the window, by round") List<Slot> anchors,
        @Schema(description = "Leader reputation per validator, in committee order") List<Score> reputation) {

    /** One certificate of the window. */
    @Schema(name = "DagVertex")
    public record Vertex(
            @Schema(description = "Certificate digest, hex") String digest,
            long round,
            int author,
            @Schema(description = "Committee indexes of its parents' authors (round - 1), ascending") int[] parents,
            @Schema(description = "Number of batches its header lists") int batches,
            @Schema(description = "Its round is at most its author's last committed round: it was ordered, or never will be"
                    + " (a skipped anchor's certificate no later anchor reached); the commit log says which commit holds it") boolean settled) {}

    /** An anchor slot: a round where the ordering looked, or looks, for its leader's certificate. */
    @Schema(name = "AnchorSlot")
    public record Slot(
            long round,
            @Schema(nullable = true, description = "The leader (committee index); null for a skipped slot") Integer leader,
            @Schema(description = "COMMITTED, SKIPPED (a later anchor was committed first) or PENDING (after the last committed anchor)") String status,
            @Schema(description = "Stake of next-round certificates naming the leader's certificate as a parent") long support,
            @Schema(description = "Committed with at least f+1 support (the direct rule); false: ordered through a later anchor") boolean direct,
            @Schema(description = "The leader's certificate of this round is in the DAG") boolean present) {}

    /** A validator's leader reputation. */
    @Schema(name = "ReputationScore")
    public record Score(int validator, @Schema(description = "Reputation factor") long factor,
                        @Schema(description = "Weight in the leader schedule: stake x factor") long weight,
                        @Schema(description = "Anchor votes counted in the current reputation window") long votes,
                        @Schema(description = "Anchors of it skipped in the current reputation window") long skips) {}

    static DagWindowView of(DagWindow w) {
        List<Vertex> vertices = w.certificates().stream().map(e -> {
            Certificate c = e.certificate();
            return new Vertex(c.digest().toHex(), c.round(), c.author(), e.parentAuthors(), c.header().batchDigests().size(), e.settled());
        }).toList();
        List<Slot> slots = w.anchors().stream().map(s -> new Slot(s.round(), s.leader() >= 0 ? s.leader() : null, s.status().name(),
                s.support(), s.direct(), s.present())).toList();
        List<Score> scores = w.reputation().stream().map(s -> new Score(s.validator(), s.factor(), s.weight(), s.votes(), s.skips())).toList();
        return new DagWindowView(w.fromRound(), w.toRound(), w.gcRound(), w.lastCommitIndex(), w.lastAnchorRound(), w.validityThreshold(),
                vertices, slots, scores);
    }
}
