package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Establishes this node's {@link NodeIdentity} from the settings, without Quarkus:
 * <ul>
 *   <li>the key: from {@code keyHex} if given, else the key file; with no committee file a
 *       missing key file is generated once (0600) so restarts keep the identity;</li>
 *   <li>the committee: from the committee file if given (our key must be a member), else a
 *       one-validator committee of stake 1.</li>
 * </ul>
 * Every refusal is an {@link IdentityException} with a one-line reason.
 */
public final class IdentityLoader {
    private static final Logger LOG = Logger.getLogger(IdentityLoader.class);

    private IdentityLoader() {}

    public static NodeIdentity load(IdentitySettings settings) {
        boolean withCommittee = settings.committeeFile().isPresent();
        String keySource;
        KeyPair key;
        if (settings.keyHex().isPresent()) {
            key = ValidatorKeyFile.parse(settings.keyHex().get(), "the validator key from sequencer.validator.key (SEQUENCER_VALIDATOR_KEY)");
            keySource = "sequencer.validator.key";
        } else {
            Path file = settings.effectiveKeyFile();
            keySource = file.toString();
            if (Files.exists(file)) {
                key = ValidatorKeyFile.read(file);
                if (ValidatorKeyFile.tooOpen(file)) {
                    LOG.warnf("Validator key file %s is readable by group or others; restrict it with: chmod 600 %s", file, file);
                }
            } else if (withCommittee) {
                throw new IdentityException("validator key file " + file + " does not exist; a member of the committee in "
                        + settings.committeeFile().get() + " needs its own key (set sequencer.validator.key-file or SEQUENCER_VALIDATOR_KEY)");
            } else {
                key = KeyPair.generate();
                ValidatorKeyFile.writeNew(file, key);
                LOG.infof("Generated a new validator key %s in %s (permissions 0600); it is reused on every restart", key.publicKey(), file);
            }
        }

        if (!withCommittee) {
            Committee single = new Committee(settings.epoch(), List.of(new Validator(settings.name(), key.publicKey(), 1, "")));
            LOG.infof("No committee file configured (sequencer.committee-file): running as a ONE-VALIDATOR committee"
                    + " (epoch %d, stake 1) as %s with key %s", settings.epoch(), settings.name(), key.publicKey());
            return new NodeIdentity(key, single, 0, true, keySource);
        }

        Path committeeFile = settings.committeeFile().get();
        Committee committee = CommitteeFile.read(committeeFile);
        OptionalInt index = committee.indexOf(key.publicKey());
        if (index.isEmpty()) {
            String members = committee.validators().stream()
                    .map(v -> v.name() + "=" + v.publicKey().toHex().substring(0, 16) + "...")
                    .collect(Collectors.joining(", "));
            throw new IdentityException("validator key " + key.publicKey() + " (from " + keySource + ") is not a member of the committee in "
                    + committeeFile + " (members: " + members + ")");
        }
        NodeIdentity identity = new NodeIdentity(key, committee, index.getAsInt(), false, keySource);
        if (!identity.name().equals(settings.name())) {
            LOG.infof("The committee file names this key %s; sequencer.validator.name (%s) only applies without a committee file",
                    identity.name(), settings.name());
        }
        LOG.infof("Validator %s (index %d of %d, epoch %d, stake %d of %d) from committee file %s",
                identity.name(), identity.index(), committee.size(), committee.epoch(), identity.self().stake(),
                committee.totalStake(), committeeFile);
        return identity;
    }
}
