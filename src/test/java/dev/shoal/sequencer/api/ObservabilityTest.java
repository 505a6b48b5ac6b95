package dev.shoal.sequencer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** /q/metrics (Prometheus text) and /q/openapi. */
@QuarkusTest
class ObservabilityTest {

    @Test
    void metricsArePrometheusTextWithJvmMetrics() {
        String body = given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200).contentType(startsWith("text/plain"))
                .extract().asString();
        assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge").containsPattern("(?m)^jvm_memory_used_bytes\\{.*\\} [0-9.eE+-]+$");
    }

    @Test
    void openApiDescribesStatusAndProblems() {
        String body = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("\"/api/v1/status\"").contains("\"Status\"").contains("\"Committee\"");
    }
}
