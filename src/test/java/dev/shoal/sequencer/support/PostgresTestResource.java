package dev.shoal.sequencer.support;

import dev.shoal.sequencer.config.devdb.DatabaseEndpoint;
import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.nio.file.Path;
import java.util.Map;

/**
 * The database of every {@code @QuarkusTest} and {@code @QuarkusIntegrationTest}: database
 * {@code shoal_test} (or {@code $SHOAL_TEST_DATABASE}) on the local PostgreSQL at 127.0.0.1:5432 when there is one, else on an
 * embedded real PostgreSQL started for the test run. Force the embedded one with
 * {@code -Dsequencer.dev-database.mode=embedded}. Also points the node's data directory into
 * target/, so tests never touch ./data or /var/lib/shoal.
 * <p>
 * Global: the annotation below applies it to all Quarkus tests of the module. Its properties are
 * passed to the packaged application in integration tests too, which run in the prod profile.
 */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    /** Test database name: shoal_test, or SHOAL_TEST_DATABASE (several checkouts sharing one local server). */
    public static final String DATABASE = System.getenv().getOrDefault("SHOAL_TEST_DATABASE", "shoal_test");
    /** Data directory of the node under test (holds its generated validator key). */
    public static final Path DATA_DIR = Path.of("target", "test-data").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        String mode = System.getProperty("sequencer.dev-database.mode", System.getenv("SEQUENCER_DEV_DATABASE_MODE"));
        DatabaseEndpoint db = DevDatabaseBootstrap.resolve(DevDatabaseBootstrap.Mode.parse(mode), DATABASE, null);
        // Integration tests run the packaged application in the prod profile, where the %test Flyway
        // clean does not apply: without it, that application would try to recover whatever the
        // @QuarkusTest run left (including the store contract test's fixtures) and refuse to start.
        return Map.of(
                "quarkus.datasource.reactive.url", db.reactiveUrl(),
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "quarkus.flyway.clean-at-start", "true",
                "quarkus.flyway.clean-disabled", "false",
                "sequencer.data-dir", DATA_DIR.toString(),
                // The API suites count on commits and checkpoints coming without load, one round per
                // minimum header interval; idle pacing has its own tests (core, simulator, NodeAssemblyTest).
                "sequencer.consensus.idle-header-interval", "50ms");
    }

    @Override
    public void stop() {
        // An embedded server stops with the JVM (shutdown hook); a local one is not ours to stop.
    }
}
