package dev.shoal.sequencer.tools;

import java.util.Optional;

/**
 * {@code scripts/seed-history.sh}: see {@link SeedOptions#USAGE}. Exit status 0 on success, 1 when
 * seeding fails (the reason on stderr), 2 on a bad command line (with the usage).
 */
public final class SeedHistoryMain {
    private SeedHistoryMain() {}

    public static void main(String[] args) {
        Optional<SeedOptions> options;
        try {
            options = SeedOptions.parse(args);
        } catch (SeedOptions.UsageException e) {
            System.err.println("seed-history: " + e.getMessage());
            System.err.print(SeedOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.isEmpty()) {
            System.out.print(SeedOptions.USAGE);
            return;
        }
        try {
            SeedHistory.run(options.get(), System.out);
        } catch (Exception e) {
            System.err.println("seed-history: failed: " + e.getMessage());
            if (System.getenv("SEED_HISTORY_DEBUG") != null) e.printStackTrace();
            System.exit(1);
        }
    }
}
