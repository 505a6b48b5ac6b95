package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.b64;
import static dev.shoal.sequencer.api.ApiTestSupport.invalidParameter;
import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static dev.shoal.sequencer.api.ApiTestSupport.sha256Hex;
import static dev.shoal.sequencer.api.ApiTestSupport.uniquePayload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/batches (by author, unreferenced only, limit) and GET /api/v1/batches/{digest};
 * the batch-to-certificate link is followed from a committed transaction.
 */
@QuarkusTest
class BatchesResourceTest {
    private static final String PATH = "/api/v1/batches";

    /** A committed batch found from its transactions: commit -> certificates -> batch digests -> batch. */
    record Found(Map<String, Object> batch, String certificate, List<byte[]> payloads) {}

    static List<Map<String, Object>> list(RequestSpecification request) {
        return request.when().get(PATH).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("$");
    }

    static Map<String, Object> one(String digest) {
        return given().when().get(PATH + "/" + digest).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getMap("$");
    }

    @SuppressWarnings("unchecked")
    private static Found submitAndFindBatch() {
        long before = ApiTestSupport.publishedCommitIndex();
        List<byte[]> payloads = List.of(uniquePayload("batch-a"), uniquePayload("batch-b"), uniquePayload("batch-c"));
        List<String> digests = given().contentType(ContentType.JSON)
                .body(Map.of("transactions", payloads.stream().map(ApiTestSupport::b64).toList()))
                .when().post("/api/v1/transactions").then().statusCode(202)
                .extract().jsonPath().getList("digests", String.class);
        Map<String, Object> commit = ApiTestSupport.awaitCommitted(digests.get(0), before + 1);
        for (String cert : (List<String>) commit.get("certificates")) {
            Map<String, Object> c = CertificatesResourceTest.one(cert);
            for (String batchDigest : (List<String>) c.get("batchDigests")) {
                Map<String, Object> batch = one(batchDigest);
                List<String> txDigests = ((List<Map<String, Object>>) batch.get("transactions")).stream()
                        .map(t -> (String) t.get("digest")).toList();
                if (txDigests.contains(digests.get(0))) return new Found(batch, cert, payloads);
            }
        }
        throw new AssertionError("no batch of commit " + commit.get("index") + " holds " + digests.get(0));
    }

    @SuppressWarnings("unchecked")
    @Test
    void aCommittedBatchHasItsTransactionsAndItsCertificate() {
        Found f = submitAndFindBatch();
        Map<String, Object> batch = f.batch();
        assertThat(batch).containsOnlyKeys("digest", "author", "worker", "transactionCount", "sizeBytes", "certificate", "transactions");
        assertThat(batch.get("author")).isEqualTo(0);
        assertThat(batch.get("worker")).isEqualTo(0);
        assertThat(batch.get("certificate")).isEqualTo(f.certificate());
        List<Map<String, Object>> txs = (List<Map<String, Object>>) batch.get("transactions");
        assertThat(batch.get("transactionCount")).isEqualTo(txs.size());
        // The three payloads were submitted together: sealed into one batch, in request order.
        List<Map<String, Object>> ours = new ArrayList<>();
        for (Map<String, Object> t : txs) {
            for (byte[] p : f.payloads()) if (t.get("digest").equals(sha256Hex(p))) ours.add(t);
        }
        assertThat(ours).extracting(t -> t.get("payload")).containsExactlyElementsOf(f.payloads().stream().map(ApiTestSupport::b64).toList());
        long size = 0;
        for (Map<String, Object> t : txs) size += java.util.Base64.getDecoder().decode((String) t.get("payload")).length;
        assertThat(((Number) batch.get("sizeBytes")).longValue()).isEqualTo(size);
        assertThat(CertificatesResourceTest.one(f.certificate()).get("batchDigests")).asList().contains(batch.get("digest"));
    }

    @Test
    void theListingShowsTheBatchWithItsCertificateLink() {
        Found f = submitAndFindBatch();
        List<Map<String, Object>> all = list(given().queryParam("author", 0).queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE));
        assertThat(all).allSatisfy(b -> assertThat(b.get("author")).isEqualTo(0));
        assertThat(all).filteredOn(b -> f.batch().get("digest").equals(b.get("digest"))).singleElement().satisfies(b -> {
            assertThat(b).containsOnlyKeys("digest", "author", "worker", "transactionCount", "sizeBytes", "certificate");
            assertThat(b.get("certificate")).isEqualTo(f.certificate());
            assertThat(b.get("transactionCount")).isEqualTo(f.batch().get("transactionCount"));
            assertThat(b.get("sizeBytes")).isEqualTo(f.batch().get("sizeBytes"));
        });
        assertThat(list(given().queryParam("unreferenced", false).queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE)))
                .extracting(b -> b.get("digest")).contains(f.batch().get("digest"));
    }

    @Test
    void unreferencedOnlyListsBatchesWithoutACertificate() {
        Found f = submitAndFindBatch();
        List<Map<String, Object>> unreferenced = list(given().queryParam("unreferenced", true).queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE));
        assertThat(unreferenced).allSatisfy(b -> assertThat(b.get("certificate")).isNull());
        assertThat(unreferenced).extracting(b -> b.get("digest")).doesNotContain(f.batch().get("digest"));
    }

    @Test
    void theLimitBoundsThePage() {
        submitAndFindBatch();
        submitAndFindBatch();
        assertThat(list(given().queryParam("limit", 1))).hasSize(1);
        assertThat(list(given().queryParam("limit", 2))).hasSize(2);
    }

    @Test
    void invalidParametersAre400NamingThem() {
        invalidParameter(given().queryParam("author", 1).when().get(PATH).then(), PATH, "author")
                .body("detail", containsString("between 0 and 0"));
        invalidParameter(given().queryParam("author", "x").when().get(PATH).then(), PATH, "author");
        invalidParameter(given().queryParam("unreferenced", "maybe").when().get(PATH).then(), PATH, "unreferenced");
        invalidParameter(given().queryParam("limit", 0).when().get(PATH).then(), PATH, "limit");
        invalidParameter(given().queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE + 1).when().get(PATH).then(), PATH, "limit");
    }

    @Test
    void anUnknownDigestIs404() {
        String unknown = sha256Hex(uniquePayload("never a batch"));
        problem(given().when().get(PATH + "/" + unknown).then(), 404, PATH + "/" + unknown)
                .body("title", equalTo("Not Found"))
                .body("detail", containsString(unknown));
    }

    @Test
    void aDigestThatIsNotHexIs400() {
        invalidParameter(given().when().get(PATH + "/123").then(), PATH + "/123", "digest");
        String notHex = "g".repeat(64);
        invalidParameter(given().when().get(PATH + "/" + notHex).then(), PATH + "/" + notHex, "digest");
    }

    @Test
    void aBatchPayloadRoundTripsBytesThatAreNotText() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) i;
        byte[] payload = java.util.Arrays.copyOf(uniquePayload("bin"), 300);
        System.arraycopy(binary, 0, payload, 44, 256);
        long before = ApiTestSupport.publishedCommitIndex();
        String digest = ApiTestSupport.submit(payload);
        Map<String, Object> commit = ApiTestSupport.awaitCommitted(digest, before + 1);
        assertThat(ApiTestSupport.transactionDigests(commit)).contains(digest);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> txs = (List<Map<String, Object>>) commit.get("transactions");
        assertThat(txs).filteredOn(t -> digest.equals(t.get("digest"))).singleElement()
                .satisfies(t -> assertThat(t.get("payload")).isEqualTo(b64(payload)));
    }
}
