package dev.shoal.sequencer.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.sequencer.crash.support.CommitFollower;
import dev.shoal.sequencer.crash.support.CommitLogWitness;
import dev.shoal.sequencer.crash.support.CrashDatabase;
import dev.shoal.sequencer.crash.support.LoadGenerator;
import dev.shoal.sequencer.crash.support.Ports;
import dev.shoal.sequencer.crash.support.ServiceClient;
import dev.shoal.sequencer.crash.support.ServiceProcess;
import dev.shoal.sequencer.crash.support.Services;
import dev.shoal.sequencer.crash.support.TcpProxy;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Database-outage test (issue 4, item 9; docs/safety.md, rule 5) against the packaged service. The
 * service reaches PostgreSQL only through a {@link TcpProxy}; under light load the test cuts the
 * proxy (every connection closed, every reconnect refused) and later heals it. It checks:
 * <ul>
 *   <li>while the database is unreachable, /q/health/ready answers 503 DOWN with the node's
 *       storage reported unhealthy, and POST /api/v1/transactions answers 503 problem+json
 *       (never a 500);</li>
 *   <li>after healing, readiness is UP again by itself (no restart) and new transactions are
 *       acknowledged and committed;</li>
 *   <li>nothing acknowledged was lost or committed twice, nothing refused was committed, and
 *       the commit log is gap-free with every commit seen during the test unchanged.</li>
 * </ul>
 */
class DatabaseOutageIT {
    private ServiceProcess service;
    private TcpProxy proxy;

    @AfterEach
    void stop() {
        if (service != null) service.close();
        if (proxy != null) proxy.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void readinessFollowsTheDatabaseAndNothingAcknowledgedIsLost() throws Exception {
        CrashDatabase db = CrashDatabase.fresh("outage");
        proxy = new TcpProxy(Ports.free(), db.endpoint().host(), db.endpoint().port());
        Path dir = Path.of("target", "crash", "outage").toAbsolutePath();
        service = new ServiceProcess("node", proxy.hostPort(), db.name(), db.endpoint().user(),
                dir.resolve("data-" + System.currentTimeMillis()), dir.resolve("logs"), Ports.free());
        ServiceClient client = new ServiceClient(service.baseUrl());
        TransactionLedger ledger = new TransactionLedger();
        CommitLogWitness witness = new CommitLogWitness();
        service.start();
        Services.awaitReady(service, client);

        JsonNode downReport;
        ServiceClient.Reply refusedPost;
        int ackedBeforeHeal;
        try (CommitFollower follower = new CommitFollower(client, witness).start();
             LoadGenerator load = new LoadGenerator(client, ledger, "outage", 2, 7, 5, Duration.ofMillis(20),
                     Duration.ofSeconds(90)).start()) {
            await("light load acknowledged").atMost(Duration.ofSeconds(60)).until(() -> ledger.acknowledged().size() >= 50);

            proxy.cut();
            AtomicReference<ServiceClient.Reply> ready = new AtomicReference<>();
            await("readiness DOWN with storage unhealthy").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        ready.set(client.ready());
                        return ready.get().status() == 503 && storageHealthy(ready.get().json()) == Boolean.FALSE;
                    });
            downReport = ready.get().json();
            byte[] payload = "outage/refused-probe".getBytes(StandardCharsets.UTF_8);
            String digest = TransactionLedger.digestHex(payload);
            ledger.sent(digest, payload);
            refusedPost = client.submit(List.of(payload), Duration.ofSeconds(30));
            if (refusedPost.status() == 503) ledger.refused(digest);
            // The outage lasts until the service has tried to reconnect at least once. (The load's clients
            // are meanwhile blocked on requests accepted just before the cut: those complete after healing.)
            await("reconnect attempts during the outage").atMost(Duration.ofSeconds(60)).until(() -> proxy.refused() >= 1);
            assertThat(client.ready().status()).as("readiness still DOWN at the end of the outage").isEqualTo(503);

            ackedBeforeHeal = ledger.acknowledged().size();
            proxy.heal();
            await("readiness UP again after healing, without a restart").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(client::isReady);
            await("new transactions acknowledged after healing").atMost(Duration.ofSeconds(60))
                    .until(() -> ledger.acknowledged().size() >= ackedBeforeHeal + 50);
            load.close();
            follower.close();
            assertThat(follower.problems()).as("commit reader during the outage").isEmpty();
        }

        assertThat(downReport.path("status").asText()).isEqualTo("DOWN");
        assertThat(checkStatus(downReport, "database")).as("database check while cut: %s", downReport).isEqualTo("DOWN");
        assertThat(refusedPost.status()).as("POST while the database is down: %s", refusedPost.body()).isEqualTo(503);
        assertThat(refusedPost.contentType()).startsWith("application/problem+json");
        assertThat(refusedPost.json().path("status").asInt()).isEqualTo(503);
        assertThat(refusedPost.json().path("detail").asText()).contains("storage");
        assertThat(service.log()).contains("Storage is not writable").contains("Storage is writable again");
        assertThat(service.isAlive()).as("the service survived the outage").isTrue();

        var acked = ledger.acknowledged();
        AtomicReference<List<JsonNode>> log = new AtomicReference<>();
        await("every acknowledged transaction committed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    log.set(client.commitsFrom(1));
                    return CommitLogWitness.containsAll(log.get(), acked);
                });
        assertThat(witness.check(log.get(), ledger)).as("commit log, service log %s", service.logFile()).isEmpty();
        assertThat(ledger.unexpected()).as("answers other than 202 and 503 problem+json").isEmpty();
        System.out.printf("DatabaseOutageIT: %d acknowledged (%d before healing), %d refused with 503, %d in doubt, "
                        + "%d reconnects refused by the cut proxy, %d commits%n", acked.size(), ackedBeforeHeal, ledger.refused().size(),
                ledger.inDoubt().size(), proxy.refused(), log.get().size());
    }

    /** storageHealthy of the readiness report's "node" check, or null if it is not there. */
    private static Boolean storageHealthy(JsonNode report) {
        for (JsonNode check : report.path("checks")) {
            if ("node".equals(check.path("name").asText()) && check.path("data").has("storageHealthy")) {
                return check.path("data").path("storageHealthy").asBoolean();
            }
        }
        return null;
    }

    private static String checkStatus(JsonNode report, String name) {
        for (JsonNode check : report.path("checks")) {
            if (name.equals(check.path("name").asText())) return check.path("status").asText();
        }
        return "absent";
    }
}
