package dev.shoal.sequencer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.support.PostgresTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** GET /api/v1/status against the running application (a one-validator committee). */
@QuarkusTest
class StatusResourceTest {

    private JsonPath status() {
        return given().when().get("/api/v1/status")
                .then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
    }

    @Test
    void identityIsTheKeyKeptInTheDataDirectory() throws Exception {
        String secretHex = Files.readString(PostgresTestResource.DATA_DIR.resolve("validator.key")).strip();
        String expectedPublicKey = KeyPair.fromSecret(Hex.decode(secretHex)).publicKey().toHex();

        JsonPath s = status();
        assertThat(s.getString("validator.name")).isEqualTo("validator-0");
        assertThat(s.getString("validator.publicKey")).isEqualTo(expectedPublicKey);
        assertThat(s.getInt("validator.index")).isZero();
        assertThat(s.getBoolean("validator.singleValidator")).isTrue();
    }

    @Test
    void committeeIsOneValidatorWithStakeOne() {
        JsonPath s = status();
        assertThat(s.getLong("committee.epoch")).isZero();
        assertThat(s.getInt("committee.size")).isEqualTo(1);
        assertThat(s.getLong("committee.totalStake")).isEqualTo(1);
        assertThat(s.getLong("committee.quorumThreshold")).isEqualTo(1);
        assertThat(s.getLong("committee.validityThreshold")).isEqualTo(1);
        List<Map<String, Object>> members = s.getList("committee.members");
        assertThat(members).hasSize(1);
        assertThat(members.get(0)).containsEntry("index", 0).containsEntry("name", "validator-0").containsEntry("stake", 1)
                .containsEntry("publicKey", s.getString("validator.publicKey"));
    }

    @Test
    void lifecycleIsReadyWithHealthyStorage() {
        JsonPath s = status();
        assertThat(s.getString("node.lifecycle")).isEqualTo("READY");
        assertThat(s.getBoolean("node.storageHealthy")).isTrue();
    }

    @Test
    void progressIsReportedOnceTheNodeCommits() {
        JsonPath s = Awaitility.await().atMost(ApiTestSupport.PATIENCE)
                .until(this::status, x -> x.getLong("consensus.lastCommitIndex") >= 1 && x.getLong("consensus.publishedCommitIndex") >= 1);
        assertThat(s.getMap("consensus")).containsKeys("currentRound", "highestCommittedRound", "lastAnchorRound", "lastCommitIndex",
                "publishedCommitIndex", "lastCheckpointRound", "lastCheckpointAt", "startedAt", "updatedAt");
        long current = s.getLong("consensus.currentRound");
        assertThat(current).isPositive();
        assertThat(s.getLong("consensus.highestCommittedRound")).isBetween(1L, current);
        assertThat(s.getLong("consensus.lastAnchorRound")).isBetween(1L, current);
        // The published index is never ahead of what is durable by more than what was committed since the read.
        JsonPath later = status();
        assertThat(later.getLong("consensus.currentRound")).isGreaterThanOrEqualTo(current);
        assertThat(later.getLong("consensus.lastCommitIndex")).isGreaterThanOrEqualTo(s.getLong("consensus.lastCommitIndex"));
        assertThat(later.getLong("consensus.publishedCommitIndex")).isGreaterThanOrEqualTo(s.getLong("consensus.publishedCommitIndex"));
    }

    @Test
    void theLastCommitIndexIsTheEndOfTheCommitLog() {
        long published = Awaitility.await().atMost(ApiTestSupport.PATIENCE)
                .until(ApiTestSupport::publishedCommitIndex, i -> i >= 1);
        // Every published commit can be read, with its index.
        assertThat(ApiTestSupport.commits(published, 1)).singleElement()
                .satisfies(c -> assertThat(ApiTestSupport.index(c)).isEqualTo(published));
    }

    @Test
    void totalsCountWhatTheDatabaseHolds() {
        long before = ApiTestSupport.publishedCommitIndex();
        JsonPath first = status();
        String digest = ApiTestSupport.submit(ApiTestSupport.uniquePayload("status-totals"));
        ApiTestSupport.awaitCommitted(digest, before + 1);
        JsonPath after = status();
        assertThat(after.getMap("totals")).containsOnlyKeys("certificates", "batches", "transactions", "commits");
        assertThat(after.getLong("totals.transactions")).isGreaterThanOrEqualTo(first.getLong("totals.transactions") + 1);
        assertThat(after.getLong("totals.batches")).isGreaterThanOrEqualTo(first.getLong("totals.batches") + 1);
        assertThat(after.getLong("totals.commits")).isGreaterThan(first.getLong("totals.commits"));
        assertThat(after.getLong("totals.certificates")).isGreaterThan(first.getLong("totals.certificates"));
        assertThat(after.getLong("totals.commits")).isPositive();
    }

    @Test
    void theLastRecoveryIsReported() {
        JsonPath s = status();
        Map<String, Object> r = s.getMap("recovery");
        assertThat(r).containsOnlyKeys("strategyRequested", "strategyUsed", "checkpointRound", "certificatesLoaded", "commitsVerified",
                "highestRound", "lastCommitIndex", "durationMs", "fallbackReason");
        assertThat(s.getString("recovery.strategyRequested")).isEqualTo("HYBRID");
        String used = s.getString("recovery.strategyUsed");
        assertThat(used).isIn(Set.of("FROM_SCRATCH", "FROM_CHECKPOINT"));
        if (used.equals("FROM_CHECKPOINT")) {
            assertThat(r.get("checkpointRound")).isNotNull();
            assertThat(r.get("fallbackReason")).isNull();
        } else {
            assertThat(r.get("checkpointRound")).isNull();
            // HYBRID rebuilds from scratch either on a fresh database (nothing to load) or saying why.
            if (r.get("fallbackReason") == null) assertThat(s.getLong("recovery.certificatesLoaded")).isZero();
            else assertThat(s.getString("recovery.fallbackReason")).isNotBlank();
        }
        assertThat(s.getLong("recovery.durationMs")).isNotNegative();
        assertThat(s.getLong("recovery.certificatesLoaded")).isNotNegative();
        assertThat(s.getLong("recovery.commitsVerified")).isBetween(0L, s.getLong("recovery.lastCommitIndex"));
        assertThat(s.getLong("recovery.highestRound")).isNotNegative();
    }
}
