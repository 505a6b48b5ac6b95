package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ProblemDetailsTest.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Bodies and parameters that the framework or our parsing rejects, through the test-only
 * {@link ProblemProbeResource} (so no @QuarkusIntegrationTest twin: the packaged app lacks it).
 */
@QuarkusTest
class ProblemMappingTest {
    private static final String DIGEST = "ab".repeat(32);

    @Test
    void validRequestsPass() {
        given().contentType("application/json").body("{\"text\":\"hi\",\"count\":2}")
                .when().post("/api/v1/test-probe/echo")
                .then().statusCode(200).body("text", equalTo("hi")).body("count", equalTo(2));
        given().queryParam("limit", "5").when().get("/api/v1/test-probe/items/" + DIGEST)
                .then().statusCode(200).body("limit", equalTo(5));
    }

    @Test
    void unsupportedMediaTypeIs415() {
        problem(given().contentType("text/plain").body("hello").when().post("/api/v1/test-probe/echo").then(),
                415, "Unsupported Media Type", "/api/v1/test-probe/echo")
                .body("detail", containsString("text/plain"));
    }

    @Test
    void malformedJsonIs400() {
        problem(given().contentType("application/json").body("{\"text\": \"unterminated").when().post("/api/v1/test-probe/echo").then(),
                400, "Malformed JSON", "/api/v1/test-probe/echo")
                .body("type", equalTo("urn:shoal:problem:malformed-json"))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void wrongJsonShapeIs400() {
        problem(given().contentType("application/json").body("{\"text\":\"hi\",\"count\":\"many\"}").when().post("/api/v1/test-probe/echo").then(),
                400, "Malformed JSON", "/api/v1/test-probe/echo")
                .body("detail", containsString("expected shape"));
    }

    @Test
    void badQueryParameterIs400NamingIt() {
        problem(given().queryParam("limit", "lots").when().get("/api/v1/test-probe/items/" + DIGEST).then(),
                400, "Invalid parameter", "/api/v1/test-probe/items/" + DIGEST)
                .body("type", equalTo("urn:shoal:problem:invalid-parameter"))
                .body("detail", equalTo("Parameter 'limit' must be an integer, got 'lots'"));
        problem(given().queryParam("limit", "0").when().get("/api/v1/test-probe/items/" + DIGEST).then(),
                400, "Invalid parameter", "/api/v1/test-probe/items/" + DIGEST)
                .body("detail", equalTo("Parameter 'limit' must be between 1 and 1000, got 0"));
    }

    @Test
    void badPathParameterIs400NamingIt() {
        problem(given().when().get("/api/v1/test-probe/items/xyz").then(), 400, "Invalid parameter", "/api/v1/test-probe/items/xyz")
                .body("detail", containsString("Parameter 'digest' must be 64 hex characters"));
    }

    @Test
    void frameworkConvertedParameterIs400NamingIt() {
        problem(given().queryParam("n", "seven").when().get("/api/v1/test-probe/typed").then(), 400, "Invalid parameter", "/api/v1/test-probe/typed")
                .body("detail", equalTo("Parameter 'n' must be an integer, got 'seven'"));
        problem(given().when().get("/api/v1/test-probe/rounds/twelve").then(), 400, "Invalid parameter", "/api/v1/test-probe/rounds/twelve")
                .body("detail", equalTo("Parameter 'round' must be an integer, got 'twelve'"));
    }

    @Test
    void unexpectedErrorIs500WithoutInternals() {
        problem(given().when().get("/api/v1/test-probe/boom").then(), 500, "Internal Server Error", "/api/v1/test-probe/boom")
                .body("detail", containsString("error id"))
                .body(not(containsString("internal detail")))
                .body(not(containsString("IllegalStateException")));
    }
}
