package dev.shoal.sequencer.config.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Zero-setup database for {@code quarkus:dev}: when the dev profile is active and no datasource
 * URL is configured, supplies the reactive and JDBC URLs of database {@code shoal_dev} on a local
 * or embedded PostgreSQL (see {@link DevDatabaseBootstrap}). Does nothing in any other profile:
 * tests get their database from a test resource, production must be configured.
 * Registered in META-INF/services/io.smallrye.config.ConfigSourceFactory.
 */
public final class DevDatabaseConfigSourceFactory implements ConfigSourceFactory {
    static final String DATABASE = "shoal_dev";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")) return List.of();
        if (configured(context, "quarkus.datasource.reactive.url") || configured(context, "quarkus.datasource.jdbc.url")) {
            return List.of();
        }
        DevDatabaseBootstrap.Mode mode = DevDatabaseBootstrap.Mode.parse(value(context, "sequencer.dev-database.mode"));
        String dataDir = value(context, "sequencer.data-dir");
        Path embeddedDir = Path.of(dataDir == null ? "./data" : dataDir).resolve("postgres-embedded");
        return List.of(new DevDatabaseConfigSource(() -> DevDatabaseBootstrap.resolve(mode, DATABASE, embeddedDir)));
    }

    private static boolean configured(ConfigSourceContext context, String name) {
        String v = value(context, name);
        return v != null && !v.isBlank();
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue profiled = context.getValue("%dev." + name);
        if (profiled != null && profiled.getValue() != null) return profiled.getValue();
        ConfigValue plain = context.getValue(name);
        return plain == null ? null : plain.getValue();
    }
}
