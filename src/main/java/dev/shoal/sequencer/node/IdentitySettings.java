package dev.shoal.sequencer.node;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link IdentityLoader} needs, as plain values so it can be used without Quarkus.
 *
 * @param dataDir       the node's data directory (default home of the key file)
 * @param committeeFile committee JSON file; empty = one-validator committee
 * @param keyFile       key file; empty = {@code <dataDir>/validator.key}
 * @param keyHex        secret key as hex (from the environment); wins over the key file
 * @param name          validator name for the one-validator committee
 * @param epoch         epoch of the one-validator committee
 */
public record IdentitySettings(Path dataDir, Optional<Path> committeeFile, Optional<Path> keyFile,
                               Optional<String> keyHex, String name, long epoch) {
    public static final String DEFAULT_KEY_FILE_NAME = "validator.key";

    public IdentitySettings {
        committeeFile = committeeFile == null ? Optional.empty() : committeeFile;
        keyFile = keyFile == null ? Optional.empty() : keyFile;
        keyHex = keyHex == null ? Optional.empty() : keyHex.filter(s -> !s.isBlank());
    }

    /** The key file actually used: the configured one or the default under the data directory. */
    public Path effectiveKeyFile() {
        return keyFile.orElseGet(() -> dataDir.resolve(DEFAULT_KEY_FILE_NAME));
    }
}
