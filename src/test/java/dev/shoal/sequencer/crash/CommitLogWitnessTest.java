package dev.shoal.sequencer.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.sequencer.crash.support.CommitLogWitness;
import dev.shoal.sequencer.crash.support.TransactionLedger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker of the crash tests must itself be able to fail: each violation it exists for is
 * built by hand here (in the JSON shape of GET /api/v1/commits) and must be reported. Plain JUnit:
 * no service needed.
 */
class CommitLogWitnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TransactionLedger ledger = new TransactionLedger();

    private String send(String payload, boolean acknowledged) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        String d = TransactionLedger.digestHex(p);
        ledger.sent(d, p);
        if (acknowledged) ledger.acknowledged(d);
        else ledger.inDoubt(d);
        return payload;
    }

    private static JsonNode commit(long index, String anchor, String... payloads) {
        ObjectNode c = JSON.createObjectNode();
        c.put("index", index);
        c.putObject("anchor").put("round", index).put("author", 0).put("digest", anchor);
        c.putArray("certificates").add(anchor);
        ArrayNode txs = c.putArray("transactions");
        for (String p : payloads) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            txs.addObject().put("digest", TransactionLedger.digestHex(b)).put("payload", Base64.getEncoder().encodeToString(b));
        }
        c.put("committedAt", "2026-01-01T00:00:0" + index + "Z");
        return c;
    }

    @Test
    void aCorrectLogPasses() {
        send("a", true);
        send("b", false);
        List<JsonNode> log = List.of(commit(1, "aa", "a"), commit(2, "bb"), commit(3, "cc", "b"));
        assertThat(new CommitLogWitness().check(log, ledger)).isEmpty();
    }

    @Test
    void reportsAGap() {
        List<JsonNode> log = List.of(commit(1, "aa"), commit(3, "cc"));
        assertThat(new CommitLogWitness().check(log, ledger)).anyMatch(p -> p.contains("not gap-free"));
    }

    @Test
    void reportsATransactionCommittedTwice() {
        send("a", true);
        List<JsonNode> log = List.of(commit(1, "aa", "a"), commit(2, "bb", "a"));
        assertThat(new CommitLogWitness().check(log, ledger)).anyMatch(p -> p.contains("committed 2 times"));
    }

    @Test
    void reportsAMissingAcknowledgedTransaction() {
        send("a", true);
        send("b", true);
        List<JsonNode> log = List.of(commit(1, "aa", "a"));
        assertThat(new CommitLogWitness().check(log, ledger)).anyMatch(p -> p.contains("1 acknowledged transactions are not committed"));
    }

    @Test
    void reportsACommitThatChangedOrVanishedAfterARestart() {
        send("a", true);
        CommitLogWitness witness = new CommitLogWitness();
        assertThat(witness.saw(List.of(commit(1, "aa", "a"), commit(2, "bb")))).isEmpty();
        assertThat(witness.check(List.of(commit(1, "aa", "a"), commit(2, "XX")), ledger)).anyMatch(p -> p.contains("commit 2 changed"));
        assertThat(witness.check(List.of(commit(1, "aa", "a")), ledger)).anyMatch(p -> p.contains("a reader already saw commit 2"));
    }

    @Test
    void reportsRefusedForeignAndMisdigestedTransactions() {
        byte[] refused = "r".getBytes(StandardCharsets.UTF_8);
        ledger.sent(TransactionLedger.digestHex(refused), refused);
        ledger.refused(TransactionLedger.digestHex(refused));
        JsonNode bad = commit(2, "bb", "x");
        ((ObjectNode) bad.get("transactions").get(0)).put("payload", Base64.getEncoder().encodeToString("y".getBytes(StandardCharsets.UTF_8)));
        List<JsonNode> log = new ArrayList<>(List.of(commit(1, "aa", "r"), bad));
        List<String> problems = new CommitLogWitness().check(log, ledger);
        assertThat(problems).anyMatch(p -> p.contains("refused with 503 but is committed"))
                .anyMatch(p -> p.contains("no client of this test sent it"))
                .anyMatch(p -> p.contains("is not the SHA-256 of its payload"));
    }
}
