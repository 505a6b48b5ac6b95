package dev.shoal.sequencer.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.shoal.sequencer.node.NodeLifecycle;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Safety rule 5: while storage is not writable, readiness is DOWN (and liveness stays UP). */
@QuarkusTest
class ReadinessFollowsLifecycleTest {
    @Inject
    NodeLifecycle lifecycle;

    @Test
    void readinessIsDownWhileStorageIsUnhealthy() {
        lifecycle.storageHealthy(false);
        try {
            given().when().get("/q/health/ready")
                    .then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'node' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'node' }.data.storageHealthy", equalTo(false))
                    .body("checks.find { it.name == 'database' }.status", equalTo("UP"));
            given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
            given().when().get("/api/v1/status").then().statusCode(200).body("node.storageHealthy", equalTo(false));
        } finally {
            lifecycle.storageHealthy(true);
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
