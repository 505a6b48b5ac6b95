package dev.shoal.sequencer.crash.support;

import dev.shoal.sequencer.config.devdb.DatabaseEndpoint;
import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A database of its own for one crash test, on the same PostgreSQL the other tests use (the
 * local server, or an embedded one when there is none). Recreated empty for every test class,
 * so a run never depends on what an earlier one left behind. Names are {@code shoal_crash_<what>}
 * ({@code SHOAL_CRASH_DATABASE_PREFIX} changes the prefix for checkouts sharing one server).
 */
public final class CrashDatabase {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final DatabaseEndpoint endpoint;

    private CrashDatabase(DatabaseEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Drops (forcibly: no leftover process may keep it) and creates {@code <prefix>_<suffix>}. */
    public static CrashDatabase fresh(String suffix) {
        String name = System.getenv().getOrDefault("SHOAL_CRASH_DATABASE_PREFIX", "shoal_crash") + "_" + suffix;
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad database name " + name);
        String mode = System.getProperty("sequencer.dev-database.mode", System.getenv("SEQUENCER_DEV_DATABASE_MODE"));
        DatabaseEndpoint server = DevDatabaseBootstrap.resolve(DevDatabaseBootstrap.Mode.parse(mode), "postgres", null);
        try (Connection c = connect(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate database " + name + " on " + server + ": " + e.getMessage(), e);
        }
        return new CrashDatabase(server.withDatabase(name));
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    public String name() {
        return endpoint.database();
    }

    /** A plain JDBC connection to this database (the test's own view, beside the service's). */
    public Connection connect() throws SQLException {
        return connect(endpoint);
    }

    /** One number from a query, e.g. {@code SELECT count(*) FROM checkpoint}. */
    public long queryLong(String sql) {
        try (Connection c = connect(); PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("no row from " + sql);
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Empties the database (every table and the migration history), as an operator's wipe would; the service must be stopped. */
    public void wipe() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot wipe " + name() + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(DatabaseEndpoint e) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", e.user());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(e.jdbcUrl(), p);
    }
}
