package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.SequencerStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store contract on PostgreSQL (a real server; the schema comes from the Flyway migrations).
 * The running node is switched to the in-memory store for this test, so nothing but the
 * contract writes to the database the contract inspects.
 */
@QuarkusTest
@TestProfile(PgStoreTest.NodeOffTheDatabase.class)
class PgStoreTest extends SequencerStoreContract {
    /** Keeps the application's own node away from the test database. */
    public static class NodeOffTheDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sequencer.storage.kind", "memory");
        }
    }

    @Inject
    PgStore pgStore;

    @Inject
    Pool pool;

    /**
     * Every connection of the application's pool plans each execution for its own parameters: a
     * cached generic plan made while a table was small (a sequential scan joined to unnest($1)) would
     * otherwise be kept for the connection's life and scan the whole, growing table on every commit.
     */
    @Test
    void poolConnectionsPlanEveryExecution() {
        for (int i = 0; i < 4; i++) {
            String mode = pool.query("SHOW plan_cache_mode").execute().await().indefinitely().iterator().next().getString(0);
            assertEquals("force_custom_plan", mode);
        }
    }

    @Override
    protected SequencerStore emptyStore() {
        PgTestDatabase.reset(pool);
        pgStore.forgetRecentBatches();
        return pgStore;
    }
}
