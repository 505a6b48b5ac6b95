package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint endpoints before any checkpoint exists: the scheduled job is switched off (its
 * round trigger disabled, its time trigger an hour away) on a freshly cleaned database, so only
 * POST takes one.
 */
@QuarkusTest
@TestProfile(CheckpointsBeforeTheFirstTest.NoScheduledCheckpoints.class)
class CheckpointsBeforeTheFirstTest {

    /** No scheduled checkpoints. */
    public static class NoScheduledCheckpoints implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sequencer.checkpoint.every-rounds", "0", "sequencer.checkpoint.interval", "1h");
        }
    }

    @Test
    void latestIs404AndTheListIsEmptyUntilOneIsTaken() {
        String latest = CheckpointsResourceTest.PATH + "/latest";
        problem(given().when().get(latest).then(), 404, latest).body("detail", containsString("No checkpoint has been taken yet"));
        List<Object> none = given().when().get(CheckpointsResourceTest.PATH).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("$");
        assertThat(none).isEmpty();

        var response = CheckpointsResourceTest.take();
        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> taken = response.jsonPath().getMap("$");

        assertThat(CheckpointsResourceTest.get(latest)).isEqualTo(taken);
        assertThat(given().when().get(CheckpointsResourceTest.PATH).then().statusCode(200).extract().jsonPath().getList("$"))
                .containsExactly(taken);
    }
}
