package dev.shoal.sequencer.committee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.sequencer.committee.support.Cluster;
import dev.shoal.sequencer.crash.support.EventSourceClient;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.ServiceProcess;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A consumer of the commit stream across a restart of the validator it reads from (issue 17): an
 * EventSource-style client follows GET /api/v1/commits/stream?from=1 on one validator of four
 * while clients load the other three; that validator is stopped (SIGKILL, or SIGTERM) and started
 * again while the others go on committing. The client reconnects by itself with Last-Event-ID, and
 * must end with every commit 1..N exactly once, in order, each event's id its index, each the same
 * JSON the validator serves in GET /api/v1/commits. Without resumption it would see the log again
 * from 1 (its URL says from=1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamResumeIT {
    private static final long SEED = Long.getLong("shoal.committee.seed", System.nanoTime());
    private static final int VICTIM = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private Cluster cluster;

    enum Stop { SIGKILL, SIGTERM }

    @BeforeAll
    void startCommittee() throws IOException {
        System.out.println("StreamResumeIT seed " + SEED + " (rerun with -Dshoal.committee.seed=" + SEED + ")");
        // A short retry hint: the client tries again and again while the validator is down and starting.
        cluster = new Cluster("sse", 4, SEED, Map.of("SEQUENCER_API_STREAM_RETRY_DELAY", "300ms")).startAll();
    }

    @AfterAll
    void stopCommittee() {
        if (cluster != null) cluster.close();
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void aStreamFollowedAcrossARestartOfItsValidatorDeliversEveryCommitOnceInOrder(Stop stop) throws Exception {
        Random random = new Random(SEED + stop.ordinal());
        ServiceProcess victim = cluster.service(VICTIM);
        TransactionLedger ledger = new TransactionLedger();
        List<LoadGenerator> loads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            loads.add(new LoadGenerator(cluster.client(i), ledger, "sse-" + SEED + "-" + stop + "-v" + i, 1, SEED + i, 10,
                    Duration.ofMillis(50), Duration.ofSeconds(20)).start());
        }
        URI stream = URI.create(victim.baseUrl() + "/api/v1/commits/stream?from=1");
        long target;
        EventSourceClient client = new EventSourceClient(stream).start();
        try {
            long atStart = cluster.lastCommitIndex(VICTIM);
            await(stop + ": the client follows the live stream").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lastIndex(client) >= atStart + 5);
            Thread.sleep(200 + random.nextInt(2_000)); // a seeded moment: the stop lands anywhere in the stream
            long received = lastIndex(client);
            long stopAt = cluster.lastCommitIndex(VICTIM);
            String how;
            if (stop == Stop.SIGKILL) {
                victim.kill();
                how = "SIGKILL";
            } else {
                long t0 = System.nanoTime();
                boolean byItself = victim.stop(Duration.ofSeconds(30));
                assertThat(byItself).as("SIGTERM ends the validator despite the open stream (log %s)", victim.logFile()).isTrue();
                // A clean stop drains the pipeline into a live pool (it used to close the pool first and wait out 10 s).
                assertThat(victim.log()).as("log %s", victim.logFile()).doesNotContain("records not durable");
                how = "SIGTERM, down in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
            }
            // The others go on without it, so the restarted validator has commits to catch up on.
            long othersAt = cluster.lastCommitIndex(0);
            cluster.awaitCommitIndex(0, othersAt + 10, Duration.ofSeconds(60));
            victim.start();
            Services.awaitReady(victim, cluster.client(VICTIM));
            target = cluster.lastCommitIndex(0);
            await(stop + ": the client resumes through the restarted validator up to commit " + target)
                    .atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        assertThat(client.failure()).as("the client gave up").isNull();
                        return lastIndex(client) >= target;
                    });
            System.out.printf("StreamResumeIT %s: %s at commit %d (client had %d); others at %d on restart; client reached %d"
                            + " over %d connections (%d attempts)%n", stop, how, stopAt, received, target, lastIndex(client),
                    client.connections(), client.attempts());
        } finally {
            client.close();
            loads.forEach(LoadGenerator::close);
        }

        assertThat(client.failure()).as("refusals, which an EventSource never retries").isNull();
        assertThat(client.connections()).as("the client reconnected after the stop").isGreaterThanOrEqualTo(2);
        assertThat(client.reconnectionMillis()).as("the retry hint").isEqualTo(300);
        List<EventSourceClient.Message> messages = client.messages();
        List<Long> indexes = messages.stream().map(m -> json(m.data()).path("index").asLong()).toList();
        assertThat(deviations(indexes)).as("seed %d, %s: every commit once, in order, none missing", SEED, stop).isEmpty();
        assertThat(indexes).containsExactlyElementsOf(LongStream.rangeClosed(1, indexes.size()).boxed().toList());
        assertThat((long) indexes.size()).isGreaterThanOrEqualTo(target);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.type()).as("onmessage gets them").isEqualTo("message");
            assertThat(m.lastEventId()).isEqualTo(Long.toString(json(m.data()).path("index").asLong()));
        });
        assertThat(messages.stream().map(EventSourceClient.Message::connection).distinct().count())
                .as("commits came over more than one connection").isGreaterThanOrEqualTo(2);
        List<JsonNode> served = cluster.client(VICTIM).commitsFrom(1).subList(0, indexes.size());
        assertThat(messages.stream().map(m -> json(m.data())).toList()).as("the same commits as GET /api/v1/commits")
                .containsExactlyElementsOf(served);
        assertThat(ledger.unexpected()).isEmpty();
    }

    /** Where the received indexes leave 1, 2, 3, ...: a commit received again, or a gap (the first few). */
    private static List<String> deviations(List<Long> indexes) {
        List<String> out = new ArrayList<>();
        long due = 1;
        for (int i = 0; i < indexes.size() && out.size() < 5; i++) {
            long got = indexes.get(i);
            if (got != due) {
                out.add("event " + (i + 1) + " is commit " + got + " where " + due + " was due (" + (got < due ? "received again" : "gap") + ")");
            }
            due = got + 1;
        }
        return out;
    }

    private static long lastIndex(EventSourceClient client) {
        String id = client.lastEventId();
        return id.isEmpty() ? 0 : Long.parseLong(id);
    }

    private static JsonNode json(String data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
