package dev.shoal.sequencer.config.devdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/** Plain-JDBC helpers of the dev/test database bootstrap: is a server there, and make sure a database exists. */
public final class PostgresProbe {
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private PostgresProbe() {}

    /** True when the server answers and accepts the endpoint's user on its maintenance database. */
    public static boolean reachable(DatabaseEndpoint server) {
        try (Connection c = connect(server.withDatabase("postgres"))) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates the endpoint's database when it is missing; safe to call concurrently and repeatedly. */
    public static void ensureDatabase(DatabaseEndpoint endpoint) throws SQLException {
        String name = endpoint.database();
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("unsupported database name '" + name + "' (lower-case letters, digits, underscore)");
        }
        try (Connection c = connect(endpoint.withDatabase("postgres"))) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                // 42P04 duplicate_database: another process created it between our check and create.
                if (!"42P04".equals(e.getSQLState())) throw e;
            }
        }
    }

    static Connection connect(DatabaseEndpoint endpoint) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", endpoint.user());
        p.setProperty("connectTimeout", "2");
        p.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(endpoint.jdbcUrl(), p);
    }
}
