package dev.shoal.sequencer.committee.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.crash.support.CrashDatabase;
import dev.shoal.sequencer.crash.support.Ports;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.ServiceProcess;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TcpProxy;
import dev.shoal.sequencer.tools.CommitteeKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A committee of real validator processes on loopback: the packaged service started n times, each
 * with its own PostgreSQL database, key and HTTP port. Every ordered pair of validators talks
 * through its own {@link TcpProxy} (validator i's committee file gives peer j the address of the
 * proxy i->j), so a test can cut one validator off from the others and heal it again, in both
 * directions, without touching the processes.
 */
public final class Cluster implements AutoCloseable {
    private final int n;
    private final CommitteeKeys keys;
    private final Path dir;
    private final List<CrashDatabase> databases = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final List<ServiceClient> clients = new ArrayList<>();
    private final Map<String, TcpProxy> links = new TreeMap<>();
    private final int[] peerPorts;

    /**
     * @param name  test name: databases are {@code <prefix>_<name>_<i>}, files under target/committee-it/<name>
     * @param seed  seed of the validator keys
     * @param extraEnv settings every validator gets (e.g. checkpoint intervals)
     */
    public Cluster(String name, int n, long seed, Map<String, String> extraEnv) throws IOException {
        this.n = n;
        this.dir = Path.of("target", "committee-it", name).toAbsolutePath();
        this.peerPorts = new int[n];
        for (int i = 0; i < n; i++) peerPorts[i] = Ports.free();
        this.keys = CommitteeKeys.generate(n, seed, 0, 0);
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from != to) links.put(from + "->" + to, new TcpProxy(Ports.free(), "127.0.0.1", peerPorts[to]));
            }
        }
        Files.createDirectories(dir);
        keys.writeFiles(dir);
        for (int i = 0; i < n; i++) {
            Path committeeFile = dir.resolve("committee-" + i + ".json");
            Files.writeString(committeeFile, committeeSeenBy(i), StandardCharsets.UTF_8);
            CrashDatabase db = CrashDatabase.fresh(name + "_" + i);
            databases.add(db);
            int http = Ports.free();
            ServiceProcess s = new ServiceProcess("v" + i, db.endpoint().host() + ":" + db.endpoint().port(), db.name(),
                    db.endpoint().user(), dir.resolve("data-" + i), dir.resolve("logs"), http);
            s.env("SEQUENCER_COMMITTEE_FILE", committeeFile.toString())
                    .env("SEQUENCER_VALIDATOR_KEY_FILE", dir.resolve("validator-" + i + ".key").toString())
                    .env("SEQUENCER_NETWORK_LISTEN_HOST", "127.0.0.1")
                    .env("SEQUENCER_NETWORK_PORT", Integer.toString(peerPorts[i]))
                    .env("SEQUENCER_NETWORK_MAX_BACKOFF", "1s");
            extraEnv.forEach(s::env);
            services.add(s);
            clients.add(new ServiceClient(s.baseUrl()));
        }
    }

    /** The committee file validator i reads: peer j at the address of the proxy i->j. */
    private String committeeSeenBy(int i) {
        Committee c = keys.committee();
        StringBuilder s = new StringBuilder("{\"epoch\":" + c.epoch() + ",\"validators\":[\n");
        for (int j = 0; j < n; j++) {
            Validator v = c.validator(j);
            String address = j == i ? "127.0.0.1:" + peerPorts[i] : links.get(i + "->" + j).hostPort();
            s.append("  {\"name\":\"").append(v.name()).append("\",\"publicKey\":\"").append(v.publicKey().toHex())
                    .append("\",\"stake\":1,\"address\":\"").append(address).append("\"}").append(j + 1 < n ? ",\n" : "\n");
        }
        return s.append("]}\n").toString();
    }

    public int size() { return n; }

    public CommitteeKeys keys() { return keys; }

    public ServiceProcess service(int i) { return services.get(i); }

    public ServiceClient client(int i) { return clients.get(i); }

    public CrashDatabase database(int i) { return databases.get(i); }

    /** The real peer port of validator i (not a proxy): where an in-test peer connects. */
    public int peerPort(int i) { return peerPorts[i]; }

    /** Starts every validator and waits until all are ready. */
    public Cluster startAll() {
        services.forEach(ServiceProcess::start);
        for (int i = 0; i < n; i++) Services.awaitReady(services.get(i), clients.get(i));
        return this;
    }

    /** Starts only the given validators and waits until they are ready (the others stay down, or are played by the test). */
    public Cluster start(int... which) {
        for (int i : which) services.get(i).start();
        for (int i : which) Services.awaitReady(services.get(i), clients.get(i));
        return this;
    }

    /** Cuts validator i off: every link to and from it refuses and drops connections. */
    public void isolate(int i) {
        links.forEach((k, p) -> { if (k.startsWith(i + "->") || k.endsWith("->" + i)) p.cut(); });
    }

    public void heal(int i) {
        links.forEach((k, p) -> { if (k.startsWith(i + "->") || k.endsWith("->" + i)) p.heal(); });
    }

    /** Last commit index validator i has published (GET /api/v1/status, consensus.publishedCommitIndex) (-1 when it does not answer). */
    public long lastCommitIndex(int i) {
        return clients.get(i).status().map(s -> s.path("consensus").path("publishedCommitIndex").asLong(-1)).orElse(-1L);
    }

    /** The first commit validator i holds (GET /api/v1/status, consensus.firstHeldCommitIndex); -1 when it does not answer. */
    public long firstHeldCommit(int i) {
        return clients.get(i).status().map(s -> s.path("consensus").path("firstHeldCommitIndex").asLong(-1)).orElse(-1L);
    }

    /** Waits until validator i's last commit index reaches at least {@code index}. */
    public void awaitCommitIndex(int i, long index, Duration timeout) {
        try {
            await("validator " + i + " reaches commit " + index + " (" + services.get(i).logFile() + ")").atMost(timeout)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        if (!services.get(i).isAlive()) throw new IllegalStateException("v" + i + " died:\n" + services.get(i).logTail(40));
                        return lastCommitIndex(i) >= index;
                    });
        } catch (ConditionTimeoutException e) {
            // CI keeps only the console: say there what the stuck validator saw.
            System.out.printf("v%d did not reach commit %d; its status: %s%nits log's tail:%n%s%n", i, index,
                    clients.get(i).status().map(JsonNode::toString).orElse("(no answer)"), services.get(i).logTail(80));
            throw e;
        }
    }

    /**
     * The commit log of validator i from index 1 up to {@code upTo}, as comparable lines
     * (index, anchor, certificates, transaction digests).
     */
    public List<String> commitLog(int i, long upTo) throws IOException, InterruptedException {
        return commitLog(i, 1, upTo);
    }

    /** The commit log of validator i from index {@code from} up to {@code upTo}, as comparable lines. */
    public List<String> commitLog(int i, long from, long upTo) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        long next = from;
        while (next <= upTo) {
            List<JsonNode> page = clients.get(i).commits(next, 500);
            if (page.isEmpty()) break;
            for (JsonNode c : page) {
                if (c.path("index").asLong() > upTo) break;
                StringBuilder line = new StringBuilder().append(c.path("index").asLong()).append(' ')
                        .append(c.path("anchor").path("digest").asText()).append(' ').append(c.path("certificates"));
                for (JsonNode t : c.path("transactions")) line.append(' ').append(t.path("digest").asText());
                out.add(line.toString());
                next = c.path("index").asLong() + 1;
            }
        }
        return out;
    }

    public String logTails(int lines) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append("---- v").append(i).append(" ----\n").append(services.get(i).logTail(lines)).append('\n');
        return s.toString();
    }

    @Override
    public void close() {
        for (ServiceProcess s : services) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // best effort: the test's result matters more than a clean stop
            }
        }
        links.values().forEach(p -> {
            try {
                p.close();
            } catch (Exception ignored) {
                // closing sockets
            }
        });
    }
}
