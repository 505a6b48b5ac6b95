package dev.shoal.sequencer.config;

import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code sequencer.*} setting of the service. All are runtime settings: each can be
 * overridden from the environment, e.g. {@code sequencer.data-dir} as {@code SEQUENCER_DATA_DIR}
 * and {@code sequencer.validator.key} as {@code SEQUENCER_VALIDATOR_KEY}.
 */
@ConfigMapping(prefix = "sequencer")
public interface SequencerConfig {

    /** Directory for the node's own files (the generated validator key); {@code ./data} in dev and test, {@code /var/lib/shoal} in prod. */
    @WithDefault("./data")
    Path dataDir();

    /** Committee file (JSON: epoch and validators with name, publicKey hex, stake, address); absent = run as a one-validator committee. */
    Optional<Path> committeeFile();

    /** Epoch of the default one-validator committee (a committee file carries its own epoch). */
    @WithDefault("0")
    long epoch();

    /** This validator's identity. */
    Validator validator();

    /** Health checks. */
    Health health();

    /** How dev mode finds a PostgreSQL when no datasource URL is configured (never used in prod). */
    DevDatabase devDatabase();

    /** This validator's name and key. */
    interface Validator {
        /** Name of this validator in the default one-validator committee (with a committee file the file's name for our key wins). */
        @WithDefault("validator-0")
        String name();

        /** Ed25519 secret key file (64 hex characters, permissions 0600); default {@code <data-dir>/validator.key}, generated there on first start when missing. */
        Optional<Path> keyFile();

        /** Ed25519 secret key as 64 hex characters, normally from the environment (SEQUENCER_VALIDATOR_KEY, e.g. from a Kubernetes Secret); takes precedence over the key file. */
        @WithName("key")
        Optional<String> keyHex();
    }

    /** Health check settings. */
    interface Health {
        /** How long the readiness check waits for the database to answer {@code SELECT 1} before reporting DOWN. */
        @WithDefault("2s")
        Duration databaseTimeout();
    }

    /** Zero-setup database of dev mode. */
    interface DevDatabase {
        /** {@code auto}: local PostgreSQL at 127.0.0.1:5432, else an embedded one; {@code local}: local only; {@code embedded}: embedded only. */
        @WithDefault("auto")
        DevDatabaseBootstrap.Mode mode();
    }
}
