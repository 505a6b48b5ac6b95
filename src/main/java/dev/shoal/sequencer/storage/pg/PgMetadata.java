package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.ConsensusMetadata;
import dev.shoal.sequencer.storage.WriteGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The consensus_metadata row ('current'): advanced inside the transactions of the write path and
 * of a checkpoint, read through Panache for the API.
 */
final class PgMetadata {
    /** The rest of a group's metadata (the counts are advanced by the insert statements themselves). */
    static final String ADVANCE_ROUNDS = """
            UPDATE consensus_metadata SET
              current_round = GREATEST(current_round, $1),
              last_anchor_round = GREATEST(last_anchor_round, $2),
              updated_at = now()
            WHERE id = 'current'""";
    private static final String POINT_AT_CHECKPOINT = """
            UPDATE consensus_metadata SET last_checkpoint_round = $1, last_checkpoint_at = $2, updated_at = now()
            WHERE id = 'current'""";

    private final Vertx vertx;
    private final ConsensusMetadataRepository repository;

    PgMetadata(Vertx vertx, ConsensusMetadataRepository repository) {
        this.vertx = vertx;
        this.repository = repository;
    }

    /** The parameters of {@link #ADVANCE_ROUNDS}. */
    static Tuple roundRow(WriteGroup g) {
        return Tuple.of(g.currentRound(), g.lastAnchorRound());
    }

    /** Points the metadata at a checkpoint, on the checkpoint's connection (in its transaction). */
    static Uni<Void> pointAtCheckpoint(SqlConnection conn, long round, Instant createdAt) {
        return conn.preparedQuery(POINT_AT_CHECKPOINT).execute(Tuple.of(round, createdAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    Uni<ConsensusMetadata> metadata() {
        return VertxContexts.withPanacheSession(vertx, repository::current).map(e -> new ConsensusMetadata(e.committeeEpoch,
                e.currentRound, e.highestCommittedRound, e.lastAnchorRound, e.lastCommitIndex, e.totalCertificates,
                e.totalBatches, e.totalTransactions, e.totalCommits, Optional.ofNullable(e.lastCheckpointRound),
                Optional.ofNullable(e.lastCheckpointAt).map(OffsetDateTime::toInstant), e.startedAt.toInstant(),
                e.updatedAt.toInstant()));
    }
}
