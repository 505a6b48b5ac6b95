package dev.shoal.sequencer.support;

import dev.shoal.sequencer.config.SequencerConfig;
import io.smallrye.config.ConfigMappings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The configuration keys the application really has: every property of our
 * {@link SequencerConfig} mapping and of the Quarkus runtime mappings that deployments set
 * (datasources, HTTP, logging, Flyway), in property and environment-variable form.
 * Used to check that manifests and docs name no key that does not exist.
 */
public final class KnownConfigKeys {
    private static final List<Class<?>> QUARKUS_RUNTIME_MAPPINGS = List.of(
            io.quarkus.datasource.runtime.DataSourcesRuntimeConfig.class,
            io.quarkus.reactive.datasource.runtime.DataSourcesReactiveRuntimeConfig.class,
            io.quarkus.reactive.pg.client.runtime.DataSourcesReactivePostgreSQLConfig.class,
            io.quarkus.agroal.runtime.DataSourcesJdbcRuntimeConfig.class,
            io.quarkus.vertx.http.runtime.VertxHttpConfig.class,
            io.quarkus.runtime.logging.LogRuntimeConfig.class,
            io.quarkus.flyway.runtime.FlywayRuntimeConfig.class);

    private KnownConfigKeys() {}

    /** Every {@code sequencer.*} property name ({@link SequencerConfig}). */
    public static Set<String> sequencerKeys() {
        return new TreeSet<>(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(SequencerConfig.class)).keySet());
    }

    /** The node's own settings: identity, files, health checks, the dev database. */
    public static Set<String> foundationKeys() {
        Set<String> keys = new TreeSet<>();
        for (String k : sequencerKeys()) if (isFoundation(k)) keys.add(k);
        return keys;
    }

    /** The sequencing engine's settings: everything else. */
    public static Set<String> engineKeys() {
        Set<String> keys = new TreeSet<>();
        for (String k : sequencerKeys()) if (!isFoundation(k)) keys.add(k);
        return keys;
    }

    private static boolean isFoundation(String key) {
        return FOUNDATION_KEYS.contains(key) || FOUNDATION_GROUPS.stream().anyMatch(key::startsWith);
    }

    private static final Set<String> FOUNDATION_KEYS = Set.of("sequencer.data-dir", "sequencer.committee-file", "sequencer.epoch");
    private static final Set<String> FOUNDATION_GROUPS = Set.of("sequencer.validator.", "sequencer.health.", "sequencer.dev-database.");

    /** Property names (with {@code *} for map keys) of the Quarkus runtime mappings above. */
    public static Set<String> quarkusKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> c : QUARKUS_RUNTIME_MAPPINGS) {
            keys.addAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(c)).keySet());
        }
        return keys;
    }

    /** The environment variable of a property: non-alphanumerics become '_', upper case (MicroProfile Config rule). */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** True when the environment variable sets one of the known properties. */
    public static boolean isKnownEnv(String env) {
        for (Pattern p : envPatterns()) {
            if (p.matcher(env).matches()) return true;
        }
        return false;
    }

    private static List<Pattern> envPatterns() {
        List<Pattern> patterns = new ArrayList<>();
        Set<String> all = new TreeSet<>(sequencerKeys());
        all.addAll(quarkusKeys());
        for (String key : all) {
            StringBuilder regex = new StringBuilder();
            String[] parts = key.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) regex.append("[A-Z0-9_]+");
                regex.append(Pattern.quote(envName(parts[i])));
            }
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }
}
