package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code scripts/committee-keys.sh}: see {@link CommitteeKeysOptions#USAGE}. Exit status 0 when the
 * files are written, 1 when they cannot be (the reason on stderr; existing keys are never
 * overwritten without --force), 2 on a bad command line (with the usage).
 */
public final class CommitteeKeysMain {
    private CommitteeKeysMain() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) System.exit(status);
    }

    /** The whole tool, minus System.exit, so tests can run it in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<CommitteeKeysOptions> parsed;
        try {
            parsed = CommitteeKeysOptions.parse(args);
        } catch (CommitteeKeysOptions.UsageException e) {
            err.println("committee-keys: " + e.getMessage());
            err.print(CommitteeKeysOptions.USAGE);
            return 2;
        }
        if (parsed.isEmpty()) {
            out.print(CommitteeKeysOptions.USAGE);
            return 0;
        }
        CommitteeKeysOptions o = parsed.get();
        CommitteeKeys keys = o.seed().isPresent()
                ? CommitteeKeys.seeded(o.validators(), o.seed().getAsLong(), o.epoch(), o::name, o.addresses()::get)
                : CommitteeKeys.random(o.validators(), o.epoch(), o::name, o.addresses()::get);
        try {
            keys.writeNewFiles(o.out(), o.force());
        } catch (CommitteeKeys.KeysExistException e) {
            err.println("committee-keys: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("committee-keys: cannot write " + o.out() + ": " + e);
            return 1;
        }
        String origin = o.seed().isPresent()
                ? "SEEDED keys (seed " + o.seed().getAsLong() + "): reproducible, for tests and benchmarks only, never for a real committee"
                : "keys from SecureRandom";
        describe(keys, o.out(), origin, out);
        return 0;
    }

    /** The summary printed after writing: thresholds and one line per validator (public keys only). */
    static void describe(CommitteeKeys keys, Path dir, String origin, PrintStream out) {
        Committee c = keys.committee();
        out.printf("committee-keys: wrote a committee of %d validators, epoch %d, %s, to %s%n",
                c.size(), c.epoch(), origin, dir.toAbsolutePath().normalize());
        out.printf("  total stake %d, quorum %d, tolerates f = %d faulty%n", c.totalStake(), c.quorumThreshold(), c.maxFaultyStake());
        out.printf("  %-5s %-20s %-40s %-19s %s%n", "index", "name", "peer address", "public key", "key file (0600)");
        for (int i = 0; i < c.size(); i++) {
            Validator v = c.validator(i);
            out.printf("  %-5d %-20s %-40s %-19s %s%n", i, v.name(), v.address(), v.publicKey().toHex().substring(0, 16) + "...",
                    CommitteeKeys.keyFileName(i));
        }
        out.printf("  committee file: %s%n", dir.resolve("committee.json").toAbsolutePath().normalize());
    }
}
