package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.PATIENCE;
import static dev.shoal.sequencer.api.ApiTestSupport.invalidParameter;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** GET /api/v1/dag: the explorer's window of the live DAG, on a committee of one. */
@QuarkusTest
class DagResourceTest {
    private static final String PATH = "/api/v1/dag";

    private static JsonPath window(Object rounds) {
        var request = given();
        if (rounds != null) request.queryParam("rounds", rounds);
        return request.when().get(PATH).then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @Test
    void theWindowEndsAtTheHighestRoundAndHoldsAtMostTheRoundsAskedFor() {
        JsonPath w = Awaitility.await("rounds").atMost(PATIENCE).until(() -> window(5), j -> j.getLong("toRound") >= 10);
        assertThat(w.getLong("toRound") - w.getLong("fromRound") + 1).isEqualTo(5);
        List<Map<String, Object>> certs = w.getList("certificates");
        // A committee of one: one certificate per round, each with the previous one as its only parent.
        assertThat(certs).hasSize(5);
        for (int i = 0; i < certs.size(); i++) {
            Map<String, Object> c = certs.get(i);
            assertThat(number(c, "round")).isEqualTo(w.getLong("fromRound") + i);
            assertThat(c.get("author")).isEqualTo(0);
            assertThat(c.get("parents")).isEqualTo(List.of(0));
            assertThat((String) c.get("digest")).matches("[0-9a-f]{64}");
        }
        // Every round of a one-validator committee is committed right after the next: the last but one is settled.
        assertThat(certs.get(certs.size() - 2).get("settled")).isEqualTo(true);
        assertThat(w.getList("reputation")).hasSize(1);
        assertThat(w.getLong("validityThreshold")).isEqualTo(1);
    }

    @Test
    void anchorSlotsAreCommittedDirectlyUpToTheLastAnchorAndPendingAfterIt() {
        JsonPath w = Awaitility.await("commits").atMost(PATIENCE).until(() -> window(10), j -> j.getLong("lastCommitIndex") >= 10);
        List<Map<String, Object>> slots = w.getList("anchors");
        assertThat(slots).isNotEmpty();
        long lastAnchor = w.getLong("lastAnchorRound");
        for (Map<String, Object> s : slots) {
            long round = number(s, "round");
            assertThat(round).isBetween(w.getLong("fromRound"), w.getLong("toRound"));
            if (round <= lastAnchor) {
                assertThat(s).containsEntry("status", "COMMITTED").containsEntry("direct", true).containsEntry("leader", 0);
            } else {
                assertThat(s).containsEntry("status", "PENDING");
            }
        }
        assertThat(slots).extracting(s -> number(s, "round")).isSorted();
    }

    @Test
    void theDefaultWindowIsThirtyRoundsAndBadRoundsAre400() {
        JsonPath w = Awaitility.await("rounds").atMost(PATIENCE).until(() -> window(null), j -> j.getLong("toRound") >= 40);
        assertThat(w.getLong("toRound") - w.getLong("fromRound") + 1).isEqualTo(30);
        for (Object bad : new Object[] {0, 201, "many", -3}) {
            invalidParameter(given().queryParam("rounds", bad).when().get(PATH).then(), PATH, "rounds");
        }
    }

    @Test
    void theExplorerPageIsServedBesideTheApi() {
        given().when().get("/explorer/").then().statusCode(200).contentType(org.hamcrest.Matchers.containsString("text/html"))
                .body(org.hamcrest.Matchers.containsString("explorer.js"));
        given().when().get("/explorer/explorer.js").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/commits/stream"));
        for (String path : new String[] {"/", "/explorer"}) {
            given().redirects().follow(false).when().get(path).then().statusCode(303)
                    .header("Location", org.hamcrest.Matchers.endsWith("/explorer/"));
        }
    }
}
