package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.checkpoint.CheckpointBody;
import dev.shoal.sequencer.checkpoint.CheckpointCodec;
import dev.shoal.sequencer.checkpoint.CompressionCodec;
import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.storage.CheckpointRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seeding operation behind {@code scripts/seed-history.sh}: keys and committee files, the
 * schema, the committee run ({@link HistoryGenerator}) streamed into the database
 * ({@link JdbcHistoryWriter}), and a checkpoint of the recorded validator's final state, built the
 * way {@code runtime/CheckpointService} builds one (consensus state plus the DAG window from the GC
 * round up), so HYBRID and FROM_CHECKPOINT recovery have one to load.
 */
public final class SeedHistory {

    /** What was written. */
    public record Summary(long certificates, long commits, long batches, long transactions, long ownHeaders, long votes,
                          Optional<CheckpointRecord> checkpoint, long millis) {}

    private SeedHistory() {}

    public static Summary run(SeedOptions o, PrintStream log) throws SQLException, IOException {
        long started = System.nanoTime();
        log.printf("seed-history: seed %d, %d validators, %d rounds (%d certificates), recording validator %d%n",
                o.seed(), o.validators(), o.rounds(), o.rounds() * o.validators(), o.validator());
        CommitteeKeys keys = CommitteeKeys.generate(o.validators(), o.seed(), 0, 19_000);
        keys.writeFiles(o.out());
        log.printf("seed-history: wrote %s and validator-0..%d.key (0600)%n", o.out().resolve("committee.json"), o.validators() - 1);

        DatabaseSchema.migrate(o.jdbcUrl(), o.user(), o.password());
        try (Connection conn = DriverManager.getConnection(o.jdbcUrl(), o.user(), o.password())) {
            long existing = DatabaseSchema.historyRows(conn);
            if (existing > 0) {
                if (!o.reset()) {
                    throw new IllegalStateException("the database already holds " + existing
                            + " rows of history; pass --reset to empty it first");
                }
                DatabaseSchema.reset(conn);
                log.printf("seed-history: emptied %d rows of existing history (--reset)%n", existing);
            }
            JdbcHistoryWriter writer = new JdbcHistoryWriter(conn, o.gcDepth(), 20_000).epoch(keys.committee().epoch());
            HistoryGenerator.Settings settings = new HistoryGenerator.Settings(o.rounds(), o.validator(), o.consensusConfig(),
                    o.startMs(), o.roundMs(), new SyntheticBatches(o.seed(), o.batchesPerRound(), o.transactionsPerBatch(),
                    o.payloadBytes()), o.verifyEvery());
            long progressEvery = Math.max(1, Math.min(1_000, o.rounds() / 20));
            HistoryGenerator.Result result = new HistoryGenerator(keys, settings).run(writer, p -> {
                double s = p.elapsedNanos() / 1e9;
                log.printf("seed-history: round %d/%d, %d certificates, %d commits, %.1f s (%.0f certificates/s)%n",
                        p.round(), p.rounds(), p.certificates(), p.commits(), s, p.certificates() / Math.max(s, 1e-9));
            }, progressEvery);
            writer.close();
            Optional<CheckpointRecord> checkpoint = Optional.empty();
            if (o.checkpoint()) {
                CheckpointRecord record = checkpointOf(result.recorded(), o, Instant.ofEpochMilli(result.nowMs()));
                writer.writeCheckpoint(record);
                checkpoint = Optional.of(record);
                log.printf("seed-history: checkpoint at round %d (commit %d, %d certificates in the window, %d -> %d bytes %s)%n",
                        record.round(), record.commitIndex(), record.certificateCount(), record.uncompressedSize(),
                        record.compressedSize(), record.codec());
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            Summary summary = new Summary(writer.certificatesWritten(), writer.commitsWritten(), writer.batchesWritten(),
                    writer.transactionsWritten(), writer.headersWritten(), writer.votesWritten(), checkpoint, ms);
            log.printf("seed-history: done in %.1f s: %d certificates, %d commits, %d batches (%d transactions), %d own headers,"
                            + " %d vote records; %d signatures verified (every %d-th round); seed %d%n",
                    ms / 1000.0, summary.certificates(), summary.commits(), summary.batches(), summary.transactions(),
                    summary.ownHeaders(), summary.votes(), result.signaturesVerified(), o.verifyEvery(), o.seed());
            return summary;
        }
    }

    /** A checkpoint of a validator's state, built as {@code runtime/CheckpointService} builds one. */
    static CheckpointRecord checkpointOf(ValidatorStateMachine m, SeedOptions o, Instant at) {
        Dag dag = m.dag();
        List<Certificate> window = new ArrayList<>();
        for (long r = dag.gcRound(); r <= dag.highestRound(); r++) window.addAll(dag.round(r));
        CheckpointBody body = new CheckpointBody(m.committee().epoch(), dag.highestRound(), m.consensus().state(), window);
        return CheckpointCodec.seal(body, o.gcDepth(), CompressionCodec.byLabel(o.checkpointCodec()), at);
    }
}
