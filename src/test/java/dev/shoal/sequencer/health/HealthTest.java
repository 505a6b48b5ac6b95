package dev.shoal.sequencer.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Liveness, readiness (database + node) and startup probes. */
@QuarkusTest
class HealthTest {

    @Test
    void liveIsUp() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("node-alive"));
    }

    @Test
    void readyChecksDatabaseAndNode() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("database", "node"))
                .body("checks.find { it.name == 'database' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'node' }.data.lifecycle", equalTo("READY"))
                .body("checks.find { it.name == 'node' }.data.storageHealthy", equalTo(true));
    }

    @Test
    void startedIsUpAfterRecovery() {
        given().when().get("/q/health/started")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'node-started' }.status", equalTo("UP"));
    }
}
