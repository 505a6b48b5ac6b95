package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.PATIENCE;
import static dev.shoal.sequencer.api.ApiTestSupport.invalidParameter;
import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.shoal.sequencer.checkpoint.CheckpointFrame;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** POST /api/v1/checkpoints, then GET /checkpoints, /checkpoints/latest and /checkpoints/{round}. */
@QuarkusTest
class CheckpointsResourceTest {
    static final String PATH = "/api/v1/checkpoints";
    /** sequencer.checkpoint.keep and .codec defaults. */
    static final int KEEP = 5;
    static final String CODEC = "zstd";

    /**
     * Takes a checkpoint. A scheduled checkpoint may be running at that moment (503 with
     * Retry-After, as for any client): then try again.
     */
    static ExtractableResponse<Response> take() {
        return Awaitility.await("POST /checkpoints").atMost(PATIENCE).until(
                () -> given().when().post(PATH).then().extract(),
                r -> {
                    if (r.statusCode() == 503) {
                        assertThat(r.contentType()).isEqualTo("application/problem+json");
                        assertThat(r.header("Retry-After")).isNotNull();
                        return false;
                    }
                    return true;
                });
    }

    static Map<String, Object> get(String path) {
        return given().when().get(path).then().statusCode(200).contentType("application/json").extract().jsonPath().getMap("$");
    }

    static long round(Map<String, Object> c) {
        return ((Number) c.get("round")).longValue();
    }

    @Test
    void postTakesACheckpointAndAnswers201WithItsSummary() {
        ExtractableResponse<Response> r = take();
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.contentType()).isEqualTo("application/json");
        Map<String, Object> c = r.jsonPath().getMap("$");
        assertThat(c).containsOnlyKeys("round", "formatVersion", "codec", "uncompressedSize", "compressedSize", "checksum",
                "certificateCount", "commitIndex", "gcRound", "createdAt");
        assertThat(r.header("Location")).endsWith(PATH + "/" + round(c));
        assertThat(round(c)).isPositive();
        assertThat(c.get("formatVersion")).isEqualTo(CheckpointFrame.FORMAT_VERSION);
        assertThat(c.get("codec")).isEqualTo(CODEC);
        assertThat((String) c.get("checksum")).as("CRC32C, 4 bytes").matches("[0-9a-f]{8}");
        assertThat(((Number) c.get("uncompressedSize")).longValue()).isPositive();
        assertThat(((Number) c.get("compressedSize")).longValue()).isPositive();
        assertThat(((Number) c.get("certificateCount")).longValue()).isPositive();
        assertThat(((Number) c.get("commitIndex")).longValue()).isNotNegative();
        assertThat(((Number) c.get("gcRound")).longValue()).isBetween(0L, round(c));
        assertThat(Instant.parse((String) c.get("createdAt"))).isNotNull();

        // The Location names it, and it is what GET by round shows.
        assertThat(given().when().get(r.header("Location")).then().statusCode(200).extract().jsonPath().getMap("$")).isEqualTo(c);
    }

    @Test
    void theListIsNewestFirstAndHoldsAtMostKeepWithTheNewOneAndTheLatestFirst() {
        Map<String, Object> taken = take().jsonPath().getMap("$");
        List<Map<String, Object>> list = given().when().get(PATH).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("$");
        assertThat(list).isNotEmpty().hasSizeLessThanOrEqualTo(KEEP);
        for (int i = 1; i < list.size(); i++) assertThat(round(list.get(i))).isLessThan(round(list.get(i - 1)));
        // Newer scheduled checkpoints may follow ours, and pruning keeps the newest: ours is listed unless KEEP newer came.
        if (round(list.get(list.size() - 1)) <= round(taken)) assertThat(list).contains(taken);

        Map<String, Object> latest = get(PATH + "/latest");
        assertThat(round(latest)).isGreaterThanOrEqualTo(round(taken));
        List<Map<String, Object>> again = given().when().get(PATH).then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(round(again.get(0))).isGreaterThanOrEqualTo(round(latest));
    }

    @Test
    void successiveCheckpointsAdvance() {
        long first = round(take().jsonPath().getMap("$"));
        long before = ApiTestSupport.publishedCommitIndex();
        ApiTestSupport.awaitCommits(before + 1, 2); // let the rounds advance
        Map<String, Object> second = take().jsonPath().getMap("$");
        assertThat(round(second)).isGreaterThan(first);
    }

    @Test
    void anUnknownRoundIs404() {
        String path = PATH + "/" + Long.MAX_VALUE;
        problem(given().when().get(path).then(), 404, path).body("detail", containsString(String.valueOf(Long.MAX_VALUE)));
    }

    @Test
    void aRoundThatIsNotANumberIs400() {
        invalidParameter(given().when().get(PATH + "/yesterday").then(), PATH + "/yesterday", "round");
        invalidParameter(given().when().get(PATH + "/-4").then(), PATH + "/-4", "round");
    }

    @Test
    void otherMethodsAre405() {
        problem(given().when().delete(PATH).then(), 405, PATH);
        problem(given().when().post(PATH + "/latest").then(), 405, PATH + "/latest");
    }
}
