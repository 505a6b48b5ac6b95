package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The storage schema for tools that run without Quarkus: the service's own Flyway migrations
 * (classpath {@code db/migration}) applied with the Flyway library, so the service finds the same
 * schema history it would have written itself and its migrate-at-start is a no-op. Without Flyway
 * on the classpath, V1 is run as plain SQL (and the service's Flyway would then refuse the schema:
 * a warning says so).
 */
final class DatabaseSchema {
    private DatabaseSchema() {}

    static void migrate(String jdbcUrl, String user, String password) throws SQLException {
        boolean flyway;
        try {
            Class.forName("org.flywaydb.core.Flyway");
            flyway = true;
        } catch (ClassNotFoundException e) {
            flyway = false;
        }
        if (flyway) {
            org.flywaydb.core.Flyway.configure().dataSource(jdbcUrl, user, password)
                    .locations("classpath:db/migration").load().migrate();
            return;
        }
        System.err.println("seed-history: WARNING Flyway is not on the classpath; applying V1__storage_model.sql as plain SQL"
                + " (the service's Flyway will not recognise this schema)");
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT to_regclass('public.certificate') IS NOT NULL");
            rs.next();
            if (rs.getBoolean(1)) return;
            s.execute(resource("db/migration/V1__storage_model.sql"));
        }
    }

    private static String resource(String name) throws SQLException {
        try (InputStream in = DatabaseSchema.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new SQLException("migration " + name + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Rows of history already in the database (certificates, batches, commits, headers, votes, checkpoints). */
    static long historyRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT (SELECT count(*) FROM certificate) + (SELECT count(*) FROM batch) + (SELECT count(*) FROM committed_sub_dag)
                     + (SELECT count(*) FROM own_header) + (SELECT count(*) FROM vote_record) + (SELECT count(*) FROM checkpoint)""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties every table and resets the metadata row. */
    static void reset(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE certificate, batch, own_header, vote_record, committed_sub_dag, checkpoint");
            s.execute("DELETE FROM consensus_metadata");
            s.execute("INSERT INTO consensus_metadata (id) VALUES ('current')");
        }
    }
}
