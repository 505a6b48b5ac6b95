package dev.shoal.sequencer.storage.pg;

import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.SequencerStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/** The store contract on PostgreSQL (a real server; the schema comes from the Flyway migrations). */
@QuarkusTest
class PgStoreTest extends SequencerStoreContract {
    @Inject
    PgStore pgStore;

    @Inject
    Pool pool;

    @Override
    protected SequencerStore emptyStore() {
        PgTestDatabase.reset(pool);
        return pgStore;
    }
}
