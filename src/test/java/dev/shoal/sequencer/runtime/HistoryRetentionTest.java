package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.config.SequencerConfig;
import dev.shoal.sequencer.storage.DelegatingStore;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where the database does not vacuum by itself, the node does, at most once per interval and never twice at a time. */
class HistoryRetentionTest {

    private static SequencerConfig config(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SequencerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).withSources(new EnvConfigSource(env, 300)).build();
        return config.getConfigMapping(SequencerConfig.class);
    }

    /** A store that says whether it reclaims space itself and counts the vacuums asked of it. */
    private static final class Vacuumed extends DelegatingStore {
        final boolean itself;
        final AtomicInteger vacuums = new AtomicInteger();

        Vacuumed(boolean itself) {
            super(new InMemoryStore());
            this.itself = itself;
        }

        @Override public Uni<Boolean> reclaimsSpaceItself() { return Uni.createFrom().item(itself); }

        @Override public Uni<Void> reclaimSpace() {
            vacuums.incrementAndGet();
            return Uni.createFrom().voidItem();
        }
    }

    private static HistoryRetention retention(String vacuumInterval) {
        return new HistoryRetention(config(Map.of("SEQUENCER_RETENTION_VACUUM_INTERVAL", vacuumInterval)), new CommitFeed(),
                new SimpleMeterRegistry());
    }

    @Test
    void vacuumsAtMostOncePerIntervalWhereAutovacuumIsOff() {
        HistoryRetention retention = retention("10m");
        Vacuumed store = new Vacuumed(false);
        retention.apply(store).await().indefinitely();
        retention.apply(store).await().indefinitely();
        assertThat(store.vacuums).hasValue(1);
    }

    @Test
    void neverVacuumsWhereTheServerDoesOrWhenTurnedOff() {
        Vacuumed autovacuum = new Vacuumed(true);
        retention("10m").apply(autovacuum).await().indefinitely();
        assertThat(autovacuum.vacuums).hasValue(0);
        Vacuumed off = new Vacuumed(false);
        retention("0").apply(off).await().indefinitely();
        assertThat(off.vacuums).hasValue(0);
    }

    @Test
    void vacuumsAgainOnceTheIntervalPassed() throws Exception {
        HistoryRetention retention = retention("0.05s");
        Vacuumed store = new Vacuumed(false);
        retention.apply(store).await().indefinitely();
        Thread.sleep(100);
        retention.apply(store).await().indefinitely();
        assertThat(store.vacuums).hasValue(2);
    }
}
