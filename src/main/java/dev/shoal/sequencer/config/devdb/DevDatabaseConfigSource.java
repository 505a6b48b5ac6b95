package dev.shoal.sequencer.config.devdb;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The datasource URLs of the dev-mode database, found or started on first use rather than when
 * the configuration is assembled. Ordinal 200: below application.properties (250), environment
 * (300) and system properties (400), so anything configured explicitly wins.
 */
final class DevDatabaseConfigSource implements ConfigSource {
    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String USERNAME = "quarkus.datasource.username";

    private final Supplier<DatabaseEndpoint> resolver;
    private volatile DatabaseEndpoint endpoint;

    DevDatabaseConfigSource(Supplier<DatabaseEndpoint> resolver) {
        this.resolver = resolver;
    }

    private DatabaseEndpoint endpoint() {
        DatabaseEndpoint e = endpoint;
        if (e == null) {
            synchronized (this) {
                if (endpoint == null) endpoint = resolver.get();
                e = endpoint;
            }
        }
        return e;
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(REACTIVE_URL, JDBC_URL, USERNAME);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(REACTIVE_URL, getValue(REACTIVE_URL), JDBC_URL, getValue(JDBC_URL), USERNAME, getValue(USERNAME));
    }

    @Override
    public String getValue(String name) {
        return switch (name) {
            case REACTIVE_URL -> endpoint().reactiveUrl();
            case JDBC_URL -> endpoint().jdbcUrl();
            case USERNAME -> endpoint().user();
            default -> null;
        };
    }

    @Override
    public int getOrdinal() {
        return 200;
    }

    @Override
    public String getName() {
        return "DevDatabaseConfigSource";
    }
}
