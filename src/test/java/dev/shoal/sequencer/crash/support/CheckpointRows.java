package dev.shoal.sequencer.crash.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Direct access to the stored checkpoints of a test database: read the latest one, put its
 * payload back, damage it. The service must be stopped while a test changes them.
 */
public final class CheckpointRows {
    /** One stored checkpoint: round, commit index it covers, and the framed payload bytes. */
    public record Row(long round, long commitIndex, byte[] payload) {}

    private final CrashDatabase db;

    public CheckpointRows(CrashDatabase db) {
        this.db = db;
    }

    public Optional<Row> latest() {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("SELECT round, commit_index, payload FROM checkpoint ORDER BY round DESC LIMIT 1");
             ResultSet rs = q.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every stored checkpoint, newest first. */
    public java.util.List<Row> all() {
        java.util.List<Row> out = new java.util.ArrayList<>();
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("SELECT round, commit_index, payload FROM checkpoint ORDER BY round DESC");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Makes {@code row} the latest checkpoint again, with its original payload. */
    public void restore(Row row) {
        exec("DELETE FROM checkpoint WHERE round > ?", row.round(), null);
        exec("UPDATE checkpoint SET payload = ? WHERE round = ?", row.round(), row.payload());
    }

    /** Flips every bit of one byte of the compressed body (past the 33-byte frame header, before the end). */
    public static byte[] flipByte(byte[] frame) {
        byte[] damaged = frame.clone();
        int at = 33 + (frame.length - 33) / 2;
        damaged[at] = (byte) ~damaged[at];
        return damaged;
    }

    /** Drops the last third of the frame, as a write cut short would. */
    public static byte[] truncate(byte[] frame) {
        return Arrays.copyOf(frame, frame.length - Math.max(1, frame.length / 3));
    }

    /** Replaces the payload of the checkpoint at {@code round}. */
    public void overwrite(long round, byte[] payload) {
        exec("UPDATE checkpoint SET payload = ? WHERE round = ?", round, payload);
    }

    private void exec(String sql, long round, byte[] payload) {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (payload != null) s.setBytes(i++, payload);
            s.setLong(i, round);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
