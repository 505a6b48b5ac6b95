package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Command line of {@code scripts/seed-history.sh}. Parsing failures are {@link UsageException}s
 * (printed with the usage, exit status 2).
 */
public record SeedOptions(String jdbcUrl, String user, String password, int validators, long rounds, Path out,
                          int validator, long seed, int batchesPerRound, int transactionsPerBatch, int payloadBytes,
                          long gcDepth, int reputationPeriod, long roundMs, long startMs, long verifyEvery,
                          boolean reset, boolean checkpoint, String checkpointCodec) {

    public static final String USAGE = """
            usage: scripts/seed-history.sh --jdbc-url URL --validators N --rounds R --out DIR [options]

            Writes a valid, signed synthetic history of a committee of N validators (R rounds) into the
            database, exactly as validator I persisted it, and committee.json plus validator-<i>.key into DIR.

              --jdbc-url URL             jdbc:postgresql://host:port/database (the database must exist)
              --validators N             committee size, 1..64
              --rounds R                 rounds to run; N certificates per round
              --out DIR                  where committee.json and validator-<i>.key go
              --user U                   database user (default postgres); password from --password or PGPASSWORD
              --validator I              the validator whose persisted state is written (default 0)
              --seed S                   seed of keys and payloads (default 42)
              --batches-per-round B      batches each validator seals per round (default 2)
              --transactions-per-batch T transactions per batch (default 4)
              --payload-bytes P          transaction payload size (default 64)
              --gc-depth G               consensus GC depth, must match the service (default 50)
              --reputation-period P      commits per reputation window, must match the service (default 10)
              --round-ms MS              clock step per round (default 50)
              --start-ms MS              clock of round 1, epoch millis (default 1767225600000 = 2026-01-01T00:00Z)
              --verify-every K           verify Ed25519 signatures in every K-th round (default 100; 1 = all)
              --reset                    empty the database's history first (otherwise a non-empty database is refused)
              --no-checkpoint            do not store a checkpoint of the final state
              --checkpoint-codec C       zstd, lz4, deflate or none (default zstd)
              --help                     this text
            """;

    /** A bad command line; the message says what is wrong. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    public ConsensusConfig consensusConfig() {
        return ConsensusConfig.defaults().withGcDepth(gcDepth).withReputationUpdatePeriod(reputationPeriod);
    }

    /** Parses the arguments; empty for --help. */
    public static Optional<SeedOptions> parse(String[] args) throws UsageException {
        String jdbcUrl = null, user = "postgres", password = System.getenv("PGPASSWORD"), codec = "zstd";
        Integer validators = null;
        Long rounds = null;
        Path out = null;
        int validator = 0, batches = 2, txs = 4, payload = 64, reputation = 10;
        long seed = 42, gc = 50, roundMs = 50, startMs = 1_767_225_600_000L, verifyEvery = 100;
        boolean reset = false, checkpoint = true;
        List<String> a = new ArrayList<>(List.of(args));
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            switch (k) {
                case "--help", "-h" -> { return Optional.empty(); }
                case "--reset" -> reset = true;
                case "--no-checkpoint" -> checkpoint = false;
                default -> {
                    if (!k.startsWith("--")) throw new UsageException("unexpected argument '" + k + "'");
                    if (i + 1 >= a.size()) throw new UsageException(k + " needs a value");
                    String v = a.get(++i);
                    switch (k) {
                        case "--jdbc-url" -> jdbcUrl = v;
                        case "--user" -> user = v;
                        case "--password" -> password = v;
                        case "--validators" -> validators = (int) number(k, v, 1, 64);
                        case "--rounds" -> rounds = number(k, v, 1, 100_000_000);
                        case "--out" -> out = Path.of(v);
                        case "--validator" -> validator = (int) number(k, v, 0, 63);
                        case "--seed" -> seed = number(k, v, Long.MIN_VALUE, Long.MAX_VALUE);
                        case "--batches-per-round" -> batches = (int) number(k, v, 0, 100);
                        case "--transactions-per-batch" -> txs = (int) number(k, v, 1, 10_000);
                        case "--payload-bytes" -> payload = (int) number(k, v, 1, 1_000_000);
                        case "--gc-depth" -> gc = number(k, v, 2, 1_000_000);
                        case "--reputation-period" -> reputation = (int) number(k, v, 1, 1_000_000);
                        case "--round-ms" -> roundMs = number(k, v, 1, 3_600_000);
                        case "--start-ms" -> startMs = number(k, v, 0, Long.MAX_VALUE / 2);
                        case "--verify-every" -> verifyEvery = number(k, v, 1, Long.MAX_VALUE);
                        case "--checkpoint-codec" -> codec = v;
                        default -> throw new UsageException("unknown option " + k);
                    }
                }
            }
        }
        if (jdbcUrl == null) throw new UsageException("--jdbc-url is required");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) throw new UsageException("--jdbc-url must start with jdbc:postgresql: (got '" + jdbcUrl + "')");
        if (validators == null) throw new UsageException("--validators is required");
        if (rounds == null) throw new UsageException("--rounds is required");
        if (out == null) throw new UsageException("--out is required");
        if (validator >= validators) throw new UsageException("--validator " + validator + " is not in a committee of " + validators + " (0.." + (validators - 1) + ")");
        if (!List.of("zstd", "lz4", "deflate", "none").contains(codec)) throw new UsageException("--checkpoint-codec must be zstd, lz4, deflate or none");
        return Optional.of(new SeedOptions(jdbcUrl, user, password, validators, rounds, out, validator, seed, batches, txs, payload,
                gc, reputation, roundMs, startMs, verifyEvery, reset, checkpoint, codec));
    }

    private static long number(String key, String v, long min, long max) throws UsageException {
        long x;
        try {
            x = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) throw new UsageException(key + " must be between " + min + " and " + max + ", got " + x);
        return x;
    }
}
