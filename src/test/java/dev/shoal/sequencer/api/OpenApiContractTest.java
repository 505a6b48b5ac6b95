package dev.shoal.sequencer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /q/openapi describes every endpoint of docs/api.md with its methods and its schemas. */
@QuarkusTest
class OpenApiContractTest {

    private static JsonPath openApi() {
        return given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyEndpointIsDescribedWithItsMethods() {
        Map<String, Map<String, Object>> paths = openApi().getMap("paths");
        assertThat(paths).containsKeys("/api/v1/transactions", "/api/v1/commits", "/api/v1/commits/stream",
                "/api/v1/certificates", "/api/v1/certificates/{digest}", "/api/v1/batches", "/api/v1/batches/{digest}",
                "/api/v1/checkpoints", "/api/v1/checkpoints/latest", "/api/v1/checkpoints/{round}", "/api/v1/status", "/api/v1/dag");
        assertThat(paths.get("/api/v1/transactions")).containsOnlyKeys("post");
        assertThat(paths.get("/api/v1/checkpoints")).containsOnlyKeys("get", "post");
        assertThat(paths.get("/api/v1/certificates")).containsOnlyKeys("get");
    }

    @Test
    void theResponseSchemasAreNamed() {
        Map<String, Object> schemas = openApi().getMap("components.schemas");
        assertThat(schemas).containsKeys("Commit", "Anchor", "Certificate", "BatchSummary", "Batch", "BatchTransaction",
                "Checkpoint", "Status", "ConsensusProgress", "Totals", "Recovery", "TransactionsAccepted", "Problem",
                "DagWindow", "DagVertex", "AnchorSlot", "ReputationScore");
    }

    @Test
    void listingParametersAreDocumented() {
        JsonPath api = openApi();
        assertThat(api.getList("paths.'/api/v1/certificates'.get.parameters.name"))
                .containsExactlyInAnyOrder("round", "author", "committed", "limit");
        assertThat(api.getList("paths.'/api/v1/batches'.get.parameters.name"))
                .containsExactlyInAnyOrder("author", "unreferenced", "limit");
        assertThat(api.getList("paths.'/api/v1/commits'.get.parameters.name")).containsExactlyInAnyOrder("from", "limit", "payloads");
        assertThat(api.getList("paths.'/api/v1/commits/stream'.get.parameters.name"))
                .containsExactlyInAnyOrder("from", "payloads", "Last-Event-ID");
        assertThat(api.getString("paths.'/api/v1/commits/stream'.get.parameters.find { it.name == 'Last-Event-ID' }.in")).isEqualTo("header");
    }

    @Test
    void theStreamIsDescribedAsEventsOfCommits() {
        JsonPath api = openApi();
        String ok = "paths.'/api/v1/commits/stream'.get.responses.'200'";
        assertThat(api.getMap(ok + ".content")).containsOnlyKeys("text/event-stream");
        assertThat(api.getString(ok + ".content.'text/event-stream'.schema.'$ref'")).isEqualTo("#/components/schemas/Commit");
        assertThat(api.getMap("paths.'/api/v1/commits/stream'.get.responses")).containsKeys("200", "400", "410");
    }
}
