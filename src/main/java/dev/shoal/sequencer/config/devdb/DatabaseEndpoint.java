package dev.shoal.sequencer.config.devdb;

/**
 * A PostgreSQL database reachable without a password (trust authentication), as the dev and
 * test bootstrap finds or starts it.
 *
 * @param host     host name or address
 * @param port     TCP port
 * @param database database name
 * @param user     role to connect as
 * @param origin   where it came from, for the log ("local PostgreSQL", "embedded PostgreSQL")
 */
public record DatabaseEndpoint(String host, int port, String database, String user, String origin) {

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /** The same server, another database. */
    public DatabaseEndpoint withDatabase(String name) {
        return new DatabaseEndpoint(host, port, name, user, origin);
    }

    @Override
    public String toString() {
        return origin + " " + reactiveUrl() + " as " + user;
    }
}
