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
}
