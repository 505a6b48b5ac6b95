package dev.shoal.sequencer.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.support.KnownConfigKeys;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's keys all have defaults and every one of them is read from its environment variable. */
class EngineConfigTest {
    private static SequencerConfig mapping(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SequencerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(SequencerConfig.class);
    }

    @Test
    void defaults() {
        SequencerConfig c = mapping(Map.of());
        assertThat(c.storage().kind()).isEqualTo("postgresql");
        assertThat(c.pipeline().maxGroupRecords()).isEqualTo(2000);
        assertThat(c.batch().maxDelay()).isEqualTo(Duration.ofMillis(10));
        assertThat(c.consensus().minHeaderInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.consensus().idleHeaderInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.checkpoint().codec()).isEqualTo("zstd");
        assertThat(c.retention().archive()).isFalse();
        assertThat(c.retention().keepDuration()).isEqualTo(Duration.ofDays(7));
        assertThat(c.retention().keepCommits()).isZero();
        assertThat(c.retention().vacuumInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.recovery().strategy()).isEqualTo("HYBRID");
        assertThat(c.api().streamRetryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.api().streamHeartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void everyKeyIsReadFromTheEnvironment() {
        // A value that differs from every default and parses for every key's type: integers and
        // durations accept "7" (7 ms is not a Duration literal, so durations get "7s"), strings keep it.
        Map<String, String> env = new HashMap<>();
        for (String key : KnownConfigKeys.engineKeys()) {
            String value = key.endsWith("interval") || key.endsWith("delay") || key.endsWith("backoff")
                    || key.endsWith("timeout") || key.endsWith("tick") ? "7s"
                    : key.endsWith("kind") ? "memory" : key.endsWith("codec") ? "lz4"
                    : key.endsWith("strategy") ? "FROM_SCRATCH" : key.endsWith("archive") ? "true" : "7";
            env.put(KnownConfigKeys.envName(key), value);
        }
        SequencerConfig c = mapping(env);
        assertThat(c.storage().kind()).isEqualTo("memory");
        assertThat(c.pipeline().maxGroupRecords()).isEqualTo(7);
        assertThat(c.pipeline().flushInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.batch().maxTransactions()).isEqualTo(7);
        assertThat(c.consensus().gcDepth()).isEqualTo(7);
        assertThat(c.consensus().tick()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.consensus().idleHeaderInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.checkpoint().codec()).isEqualTo("lz4");
        assertThat(c.retention().archive()).isTrue();
        assertThat(c.retention().keepDuration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.retention().keepCommits()).isEqualTo(7);
        assertThat(c.retention().vacuumInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.recovery().strategy()).isEqualTo("FROM_SCRATCH");
        assertThat(c.api().maxPageSize()).isEqualTo(7);
        assertThat(c.api().streamRetryDelay()).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.api().streamHeartbeatInterval()).isEqualTo(Duration.ofSeconds(7));
    }
}
