package dev.shoal.sequencer.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import dev.shoal.sequencer.support.KnownConfigKeys;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every sequencer.* key has a default or is optional, is set from its environment variable, and is documented in the configuration reference (docs/configuration.md). */
class ConfigKeysTest {
    static final Map<String, String> ENV = Map.of(
            "SEQUENCER_DATA_DIR", "/srv/shoal",
            "SEQUENCER_COMMITTEE_FILE", "/etc/shoal/committee.json",
            "SEQUENCER_EPOCH", "7",
            "SEQUENCER_VALIDATOR_NAME", "v3",
            "SEQUENCER_VALIDATOR_KEY_FILE", "/etc/shoal/v3.key",
            "SEQUENCER_VALIDATOR_KEY", "ab".repeat(32),
            "SEQUENCER_HEALTH_DATABASE_TIMEOUT", "750ms",
            "SEQUENCER_DEV_DATABASE_MODE", "embedded");

    private static SequencerConfig mapping(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SequencerConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "2s" form, as in the application
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(SequencerConfig.class);
    }

    @Test
    void defaultsApplyWithNothingConfigured() {
        SequencerConfig c = mapping(Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.committeeFile()).isEmpty();
        assertThat(c.epoch()).isZero();
        assertThat(c.validator().name()).isEqualTo("validator-0");
        assertThat(c.validator().keyFile()).isEmpty();
        assertThat(c.validator().keyHex()).isEmpty();
        assertThat(c.health().databaseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.devDatabase().mode()).isEqualTo(DevDatabaseBootstrap.Mode.AUTO);
    }

    @Test
    void everyKeyIsSetFromTheEnvironment() {
        assertThat(ENV.keySet()).as("this test covers every key")
                .containsExactlyInAnyOrderElementsOf(KnownConfigKeys.foundationKeys().stream().map(KnownConfigKeys::envName).toList());
        SequencerConfig c = mapping(ENV);
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/shoal"));
        assertThat(c.committeeFile()).contains(Path.of("/etc/shoal/committee.json"));
        assertThat(c.epoch()).isEqualTo(7);
        assertThat(c.validator().name()).isEqualTo("v3");
        assertThat(c.validator().keyFile()).contains(Path.of("/etc/shoal/v3.key"));
        assertThat(c.validator().keyHex()).contains("ab".repeat(32));
        assertThat(c.health().databaseTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.devDatabase().mode()).isEqualTo(DevDatabaseBootstrap.Mode.EMBEDDED);
    }

    @Test
    void theConfigurationReferenceDocumentsEveryKey() throws Exception {
        String reference = Files.readString(Path.of("docs", "configuration.md"));
        for (String key : KnownConfigKeys.sequencerKeys()) {
            assertThat(reference).as("docs/configuration.md documents " + key).contains("`" + key + "`").contains("`" + KnownConfigKeys.envName(key) + "`");
        }
    }
}
