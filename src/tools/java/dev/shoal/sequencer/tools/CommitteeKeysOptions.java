package dev.shoal.sequencer.tools;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Command line of {@code scripts/committee-keys.sh}. Parsing failures are {@link UsageException}s
 * (printed with the usage, exit status 2).
 *
 * @param seed empty for keys from SecureRandom (real use); a seed makes reproducible keys (tests, benchmarks)
 */
public record CommitteeKeysOptions(int validators, Path out, List<String> addresses, String nameTemplate, long epoch,
                                   OptionalLong seed, boolean force) {

    public static final int MAX_VALIDATORS = 256;
    public static final int DEFAULT_BASE_PORT = 9081;
    public static final String DEFAULT_HOST = "127.0.0.1";

    public static final String USAGE = """
            usage: scripts/committee-keys.sh --validators N --out DIR [options]

            Generates N Ed25519 validator keys and the committee they form: DIR/committee.json and
            DIR/validator-<i>.key (permissions 0600), where i is the committee index (validators are
            ordered by public key). Start validator i with
              SEQUENCER_COMMITTEE_FILE=DIR/committee.json SEQUENCER_VALIDATOR_KEY_FILE=DIR/validator-<i>.key

              --validators N            committee size, 1..256 (stake 1 each)
              --out DIR                 where the files go (created if missing)
              --base-port P             validator i's peer address is HOST:(P+i) (default 9081)
              --host H                  host of the --base-port addresses (default 127.0.0.1)
              --address-template T      validator i's peer address is T with {i} replaced by i,
                                        e.g. 'shoal-validator-{i}.peers.svc:9000' (instead of --base-port/--host)
              --name-template T         validator i's name, {i} replaced by i (default 'v{i}')
              --epoch E                 committee epoch (default 0)
              --seed S                  reproducible keys from seed S: tests and benchmarks ONLY; without it
                                        the keys come from SecureRandom
              --force                   replace existing keys in DIR (otherwise they are never overwritten)
              --help                    this text

            Exit status: 0 written, 1 failed (e.g. DIR already holds keys), 2 bad arguments.
            """;

    /** A bad command line; the message says what is wrong. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments; empty for --help. */
    public static Optional<CommitteeKeysOptions> parse(String[] args) throws UsageException {
        Integer validators = null, basePort = null;
        Path out = null;
        String host = null, addressTemplate = null, nameTemplate = "v{i}";
        long epoch = 0;
        OptionalLong seed = OptionalLong.empty();
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            switch (k) {
                case "--help", "-h" -> { return Optional.empty(); }
                case "--force" -> force = true;
                default -> {
                    if (!k.startsWith("--")) throw new UsageException("unexpected argument '" + k + "'");
                    if (i + 1 >= args.length) throw new UsageException(k + " needs a value");
                    String v = args[++i];
                    switch (k) {
                        case "--validators" -> validators = (int) number(k, v, 1, MAX_VALIDATORS);
                        case "--out" -> out = nonEmptyPath(k, v);
                        case "--base-port" -> basePort = (int) number(k, v, 1, 65535);
                        case "--host" -> host = nonBlank(k, v);
                        case "--address-template" -> addressTemplate = nonBlank(k, v);
                        case "--name-template" -> nameTemplate = nonBlank(k, v);
                        case "--epoch" -> epoch = number(k, v, 0, Long.MAX_VALUE);
                        case "--seed" -> seed = OptionalLong.of(number(k, v, Long.MIN_VALUE, Long.MAX_VALUE));
                        default -> throw new UsageException("unknown option " + k);
                    }
                }
            }
        }
        if (validators == null) throw new UsageException("--validators is required");
        if (out == null) throw new UsageException("--out is required");
        if (addressTemplate != null && (basePort != null || host != null)) {
            throw new UsageException("--address-template cannot be combined with --base-port or --host");
        }
        List<String> addresses;
        if (addressTemplate != null) {
            if (validators > 1 && !addressTemplate.contains("{i}")) {
                throw new UsageException("--address-template must contain {i} so that the " + validators + " addresses differ");
            }
            String t = addressTemplate;
            addresses = java.util.stream.IntStream.range(0, validators).mapToObj(i -> t.replace("{i}", Integer.toString(i))).toList();
        } else {
            int p = basePort == null ? DEFAULT_BASE_PORT : basePort;
            if (p + validators - 1 > 65535) {
                throw new UsageException("--base-port " + p + " leaves no room for " + validators + " ports (the last would be " + (p + validators - 1) + ")");
            }
            String h = host == null ? DEFAULT_HOST : host;
            addresses = java.util.stream.IntStream.range(0, validators).mapToObj(i -> hostPort(h, p + i)).toList();
        }
        for (String a : addresses) checkAddress(a);
        if (new HashSet<>(addresses).size() != addresses.size()) throw new UsageException("the peer addresses are not all different: " + addresses);
        if (validators > 1 && !nameTemplate.contains("{i}")) {
            throw new UsageException("--name-template must contain {i} so that the " + validators + " names differ");
        }
        return Optional.of(new CommitteeKeysOptions(validators, out, addresses, nameTemplate, epoch, seed, force));
    }

    /** Validator i's name. */
    public String name(int i) {
        return nameTemplate.replace("{i}", Integer.toString(i));
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** An address is host:port with a port in 1..65535 (IPv6 hosts in brackets). */
    static void checkAddress(String address) throws UsageException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new UsageException("peer address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace) || host.contains("{") || host.contains("}")) {
            throw new UsageException("peer address '" + address + "' has an invalid host '" + host + "'");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new UsageException("peer address '" + address + "' has no port in 1..65535");
        }
    }

    private static Path nonEmptyPath(String key, String v) throws UsageException {
        nonBlank(key, v);
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException(key + " is not a valid path: " + e.getMessage());
        }
    }

    private static String nonBlank(String key, String v) throws UsageException {
        if (v.isBlank()) throw new UsageException(key + " must not be empty");
        return v;
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
