package dev.shoal.sequencer.storage.pg;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;

/** Empties every table of the test database, keeping the schema and the metadata row. */
public final class PgTestDatabase {
    private PgTestDatabase() {}

    public static void reset(Pool pool) {
        pool.query("""
                TRUNCATE certificate, batch, own_header, vote_record, committed_sub_dag, checkpoint, commit_transactions;
                DELETE FROM consensus_metadata;
                INSERT INTO consensus_metadata (id) VALUES ('current');""").execute().await().atMost(Duration.ofSeconds(30));
    }
}
