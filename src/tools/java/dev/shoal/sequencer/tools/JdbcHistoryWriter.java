package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.storage.BatchPayloads;
import dev.shoal.sequencer.storage.CheckpointRecord;
import dev.shoal.sequencer.storage.CommitRecord;
import dev.shoal.sequencer.core.validator.PersistRecord.VoteRecord;
import dev.shoal.sequencer.storage.WriteGroup;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a recorded validator's history into the service's tables with COPY, producing the rows
 * {@code storage/pg/PgStore} would have produced for the same {@link WriteGroup}s: the same byte
 * encodings, commit marks, batch-to-certificate links and metadata totals.
 *
 * <p>Rows are loaded in chunks, one transaction per chunk. A certificate is held back until it can
 * no longer be committed (its round is more than twice the GC depth below the last committed
 * anchor), so it is written once, with its commit mark, instead of being inserted and then updated;
 * the rare certificate committed after it was written is marked by one UPDATE at the end. A batch
 * is held until a certificate references it (or the end).
 */
public final class JdbcHistoryWriter implements HistorySink, AutoCloseable {
    private static final String CERTIFICATE_COLUMNS =
            "certificate (digest, epoch, round, author, header, signer_bitmap, signatures, committed, commit_index, created_at)";
    private static final String BATCH_COLUMNS =
            "batch (digest, author, worker, transaction_count, size_bytes, codec, payload, certificate_digest, created_at)";
    private static final String OWN_HEADER_COLUMNS = "own_header (author, round, header_digest, header, created_at)";
    private static final String VOTE_COLUMNS = "vote_record (author, round, header_digest, voted_at)";
    private static final String COMMIT_COLUMNS = """
            committed_sub_dag (commit_index, anchor_digest, anchor_round, anchor_author, certificate_count,
                               certificate_digests, last_committed_rounds, reputation_inputs, committed_at, output_batches)""";

    private record HeldCertificate(Certificate certificate, Instant at) {}

    private final Connection conn;
    private final long gcDepth;
    private final int chunkRows;

    private final LinkedHashMap<Digest, HeldCertificate> heldCertificates = new LinkedHashMap<>();
    private final Map<Digest, Long> commitMarks = new HashMap<>();
    private final LinkedHashMap<Digest, Batch> heldBatches = new LinkedHashMap<>();
    private final Map<Digest, Digest> batchLinks = new HashMap<>();
    private final List<Long> lateMarkIndexes = new ArrayList<>();
    private final List<Digest> lateMarkDigests = new ArrayList<>();

    private final CopyRows certificateRows = new CopyRows();
    private final CopyRows batchRows = new CopyRows();
    private final CopyRows headerRows = new CopyRows();
    private final CopyRows voteRows = new CopyRows();
    private final CopyRows commitRows = new CopyRows();

    private Instant now = Instant.EPOCH;
    private long currentRound;
    private long lastAnchorRound;
    private long highestCommittedRound;
    private long lastCommitIndex;
    private long totalCertificates;
    private long totalBatches;
    private long totalTransactions;
    private long totalCommits;
    private long totalHeaders;
    private long totalVotes;

    /**
     * @param conn      a connection of its own (the writer commits on it)
     * @param gcDepth   the consensus GC depth (when a certificate can no longer be committed)
     * @param chunkRows write a chunk once about this many rows are ready
     */
    public JdbcHistoryWriter(Connection conn, long gcDepth, int chunkRows) throws SQLException {
        this.conn = conn;
        this.gcDepth = gcDepth;
        this.chunkRows = chunkRows;
        conn.setAutoCommit(false);
    }

    // ------------------------------------------------------------------ HistorySink

    @Override
    public void batches(List<Batch> ownBatches) {
        for (Batch b : ownBatches) heldBatches.putIfAbsent(b.digest(), b);
    }

    @Override
    public void write(WriteGroup g, Instant at) {
        if (at.isAfter(now)) now = at;
        for (Certificate c : g.certificates()) {
            heldCertificates.putIfAbsent(c.digest(), new HeldCertificate(c, now));
            currentRound = Math.max(currentRound, c.round());
        }
        for (Map.Entry<Digest, Digest> link : g.batchLinks()) {
            if (heldBatches.containsKey(link.getKey())) batchLinks.putIfAbsent(link.getKey(), link.getValue());
        }
        for (Header h : g.ownHeaders()) {
            headerRows.num(h.author()).num(h.round()).bytes(h.digest().toBytes()).bytes(h.toBytes()).time(now).endRow();
            currentRound = Math.max(currentRound, h.round());
            totalHeaders++;
        }
        for (VoteRecord v : g.votes()) {
            voteRows.num(v.author()).num(v.round()).bytes(v.headerDigest().toBytes()).time(now).endRow();
            totalVotes++;
        }
        for (CommitRecord c : g.commits()) {
            ByteArrayOutputStream digests = new ByteArrayOutputStream(32 * c.certificateDigests().size());
            for (Digest d : c.certificateDigests()) {
                digests.writeBytes(d.toBytes());
                if (heldCertificates.containsKey(d)) {
                    commitMarks.put(d, c.index());
                } else {
                    lateMarkDigests.add(d);
                    lateMarkIndexes.add(c.index());
                }
            }
            commitRows.num(c.index()).bytes(c.anchorDigest().toBytes()).num(c.anchorRound()).num(c.anchorAuthor())
                    .num(c.certificateDigests().size()).bytes(digests.toByteArray()).bytes(c.lastCommittedRounds())
                    .bytes(c.reputationInputs()).time(c.committedAt())
                    .bytes(c.outputBatches() == null ? null : CommitRecord.pack(c.outputBatches())).endRow();
            lastCommitIndex = Math.max(lastCommitIndex, c.index());
            highestCommittedRound = Math.max(highestCommittedRound, c.anchorRound());
            totalCommits++;
        }
        if (g.lastAnchorRound() >= 0) lastAnchorRound = Math.max(lastAnchorRound, g.lastAnchorRound());
        if (readyRows() >= chunkRows) flush(false);
    }

    private int readyRows() {
        return headerRows.rows() + voteRows.rows() + commitRows.rows() + heldCertificates.size() / 2 + batchLinks.size();
    }

    // ------------------------------------------------------------------ writing

    /** Writes what is ready; with {@code everything}, every held row. One transaction. */
    public void flush(boolean everything) {
        try {
            long safeRound = lastAnchorRound - 2 * gcDepth - 2;
            for (Iterator<HeldCertificate> it = heldCertificates.values().iterator(); it.hasNext(); ) {
                HeldCertificate h = it.next();
                Certificate c = h.certificate();
                if (!everything && c.round() >= safeRound) break; // held in insertion (round) order
                Long mark = commitMarks.remove(c.digest());
                ByteArrayOutputStream sigs = new ByteArrayOutputStream(64 * c.signatures().size());
                for (Signature s : c.signatures()) sigs.writeBytes(s.toBytes());
                certificateRows.bytes(c.digest().toBytes()).num(c.epoch()).num(c.round()).num(c.author())
                        .bytes(c.header().toBytes()).bytes(c.signers().toBytes()).bytes(sigs.toByteArray());
                if (mark == null) certificateRows.bool(false).nul();
                else certificateRows.bool(true).num(mark);
                certificateRows.time(h.at()).endRow();
                it.remove();
            }
            for (Iterator<Map.Entry<Digest, Batch>> it = heldBatches.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Digest, Batch> e = it.next();
                Digest link = batchLinks.remove(e.getKey());
                if (link == null && !everything) continue;
                Batch b = e.getValue();
                BatchPayloads.Encoded enc = BatchPayloads.encode(b);
                batchRows.bytes(e.getKey().toBytes()).num(b.author()).num(b.worker()).num(b.transactions().size())
                        .num(b.payloadBytes()).word(enc.codec()).bytes(enc.bytes());
                if (link == null) batchRows.nul();
                else batchRows.bytes(link.toBytes());
                batchRows.time(now).endRow();
                totalBatches++;
                totalTransactions += b.transactions().size();
                it.remove();
            }
            totalCertificates += certificateRows.copyInto(conn, CERTIFICATE_COLUMNS);
            batchRows.copyInto(conn, BATCH_COLUMNS);
            headerRows.copyInto(conn, OWN_HEADER_COLUMNS);
            voteRows.copyInto(conn, VOTE_COLUMNS);
            commitRows.copyInto(conn, COMMIT_COLUMNS);
            if (everything) applyLateMarks();
            updateMetadata();
            conn.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the history failed: " + e.getMessage(), e);
        }
    }

    private void applyLateMarks() throws SQLException {
        if (lateMarkDigests.isEmpty()) return;
        CopyRows marks = new CopyRows();
        for (int i = 0; i < lateMarkDigests.size(); i++) marks.bytes(lateMarkDigests.get(i).toBytes()).num(lateMarkIndexes.get(i)).endRow();
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TEMP TABLE seed_late_mark (digest BYTEA, commit_index BIGINT) ON COMMIT DROP");
            marks.copyInto(conn, "seed_late_mark (digest, commit_index)");
            s.executeUpdate("""
                    UPDATE certificate SET committed = TRUE, commit_index = m.commit_index
                    FROM seed_late_mark m WHERE certificate.digest = m.digest AND NOT certificate.committed""");
        }
        lateMarkDigests.clear();
        lateMarkIndexes.clear();
    }

    private void updateMetadata() throws SQLException {
        try (PreparedStatement p = conn.prepareStatement("""
                UPDATE consensus_metadata SET committee_epoch = ?, current_round = ?, highest_committed_round = ?,
                  last_anchor_round = ?, last_commit_index = ?, total_certificates = ?, total_batches = ?,
                  total_transactions = ?, total_commits = ?, updated_at = ?
                WHERE id = 'current'""")) {
            p.setLong(1, epoch);
            p.setLong(2, currentRound);
            p.setLong(3, highestCommittedRound);
            p.setLong(4, lastAnchorRound);
            p.setLong(5, lastCommitIndex);
            p.setLong(6, totalCertificates);
            p.setLong(7, totalBatches);
            p.setLong(8, totalTransactions);
            p.setLong(9, totalCommits);
            p.setTimestamp(10, Timestamp.from(now));
            if (p.executeUpdate() != 1) throw new SQLException("consensus_metadata has no 'current' row");
        }
    }

    private long epoch;

    /** The committee epoch recorded in the metadata row. */
    public JdbcHistoryWriter epoch(long epoch) {
        this.epoch = epoch;
        return this;
    }

    /** Stores a checkpoint row and points the metadata at it (as PgStore.saveCheckpoint does). */
    public void writeCheckpoint(CheckpointRecord c) {
        try (PreparedStatement p = conn.prepareStatement("""
                INSERT INTO checkpoint (round, format_version, codec, payload, checksum, uncompressed_size,
                                        compressed_size, certificate_count, commit_index, gc_round, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
             PreparedStatement m = conn.prepareStatement("""
                UPDATE consensus_metadata SET last_checkpoint_round = ?, last_checkpoint_at = ?, updated_at = ?
                WHERE id = 'current'""")) {
            p.setLong(1, c.round());
            p.setInt(2, c.formatVersion());
            p.setString(3, c.codec());
            p.setBytes(4, c.payload());
            p.setBytes(5, c.checksum());
            p.setLong(6, c.uncompressedSize());
            p.setLong(7, c.compressedSize());
            p.setInt(8, c.certificateCount());
            p.setLong(9, c.commitIndex());
            p.setLong(10, c.gcRound());
            p.setTimestamp(11, Timestamp.from(c.createdAt()));
            p.executeUpdate();
            m.setLong(1, c.round());
            m.setTimestamp(2, Timestamp.from(c.createdAt()));
            m.setTimestamp(3, Timestamp.from(c.createdAt()));
            m.executeUpdate();
            conn.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the checkpoint failed: " + e.getMessage(), e);
        }
    }

    public long certificatesWritten() { return totalCertificates; }
    public long batchesWritten() { return totalBatches; }
    public long transactionsWritten() { return totalTransactions; }
    public long commitsWritten() { return totalCommits; }
    public long headersWritten() { return totalHeaders; }
    public long votesWritten() { return totalVotes; }

    /** Writes everything still held. */
    @Override
    public void close() {
        flush(true);
    }
}
