package dev.shoal.sequencer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Errors of the real endpoints under /api/v1 are RFC 9457 problem documents. */
@QuarkusTest
class ProblemDetailsTest {

    static ValidatableResponse problem(ValidatableResponse r, int status, String title, String instance) {
        return r.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", equalTo(title))
                .body("type", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body("instance", equalTo(instance))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    @Test
    void unknownPathIs404() {
        problem(given().when().get("/api/v1/no-such-thing").then(), 404, "Not Found", "/api/v1/no-such-thing")
                .body("type", equalTo("about:blank"))
                .body("detail", containsString("/api/v1/no-such-thing"));
    }

    @Test
    void unknownNestedPathIs404() {
        problem(given().when().get("/api/v1/status/extra/segments").then(), 404, "Not Found", "/api/v1/status/extra/segments");
    }

    @Test
    void apiRootIs404() {
        problem(given().when().get("/api/v1").then(), 404, "Not Found", "/api/v1");
    }

    @Test
    void unknownPathWithOtherMethodIs404() {
        problem(given().body("{}").contentType("application/json").when().post("/api/v1/nothing/here").then(),
                404, "Not Found", "/api/v1/nothing/here");
    }

    @Test
    void wrongMethodIs405() {
        problem(given().when().delete("/api/v1/status").then(), 405, "Method Not Allowed", "/api/v1/status")
                .body("detail", containsString("DELETE"));
    }

    @Test
    void unacceptableMediaTypeIs406() {
        problem(given().accept("application/xml").when().get("/api/v1/status").then(), 406, "Not Acceptable", "/api/v1/status");
    }
}
