package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.PATIENCE;
import static dev.shoal.sequencer.api.ApiTestSupport.awaitCommits;
import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A node that prunes (keep one commit, one checkpoint kept, a short GC depth): once a checkpoint has
 * pruned the certificates of the first commits, reading those commits (a page, or the stream from
 * there, or resuming it there with Last-Event-ID) is a 410 that says why, not an error page or a reset
 * stream; later commits still read.
 */
@QuarkusTest
@TestProfile(PrunedHistoryTest.Pruning.class)
class PrunedHistoryTest {

    /** Prune below the only kept checkpoint, taken on demand. */
    public static class Pruning implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sequencer.retention.keep-commits", "1", "sequencer.retention.keep-duration", "0", "sequencer.checkpoint.keep", "1",
                    "sequencer.checkpoint.every-rounds", "0", "sequencer.checkpoint.interval", "1h",
                    "sequencer.consensus.gc-depth", "5");
        }
    }

    @Test
    void commitsWhoseCertificatesWerePrunedAre410AndLaterOnesStillRead() throws Exception {
        awaitCommits(1, 30);
        assertThat(CheckpointsResourceTest.take().statusCode()).isEqualTo(201);
        String path = "/api/v1/commits";

        Awaitility.await("commit 1 pruned").atMost(PATIENCE).until(
                () -> given().queryParam("from", 1).when().get(path).then().extract().statusCode(), s -> s == 410);
        problem(given().queryParam("from", 1).queryParam("payloads", "false").when().get(path).then(), 410, path)
                .body("type", equalTo("urn:shoal:problem:pruned"))
                .body("detail", containsString("commit 1 is not held here"))
                .body("detail", containsString("sequencer.retention"));
        // The log itself is cut at the checkpoint's commit (recovery from it reads on from there).
        long firstHeld = given().when().get("/api/v1/status").then().statusCode(200).extract().jsonPath()
                .getLong("consensus.firstHeldCommitIndex");
        assertThat(firstHeld).isGreaterThan(1);

        String stream = path + "/stream";
        problem(given().queryParam("from", 1).accept("text/event-stream").when().get(stream).then(), 410, stream)
                .body("type", equalTo("urn:shoal:problem:pruned"));
        long latestHeld = ApiTestSupport.publishedCommitIndex();
        // A client resuming after commit 0 needs commit 1 too, whatever its URL's from says.
        CommitStreamClient.Answer resumed = CommitStreamClient.answer(stream + "?from=" + latestHeld, Map.of("Last-Event-ID", "0"));
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(410);
        assertThat(resumed.contentType()).startsWith("application/problem+json");
        assertThat(resumed.json().getString("type")).isEqualTo("urn:shoal:problem:pruned");
        assertThat(resumed.json().getString("instance")).isEqualTo(stream);
        assertThat(resumed.json().getString("detail")).contains("commit 1 is not held here");

        long latest = ApiTestSupport.publishedCommitIndex();
        given().queryParam("from", latest).queryParam("limit", 1).when().get(path).then().statusCode(200)
                .body("[0].index", equalTo((int) latest));
    }
}
