package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.b64;
import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static dev.shoal.sequencer.api.ApiTestSupport.sha256Hex;
import static dev.shoal.sequencer.api.ApiTestSupport.uniquePayload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/v1/transactions: acceptance, every kind of bad input, and resubmission. */
@QuarkusTest
class TransactionsResourceTest {
    private static final String PATH = "/api/v1/transactions";

    private static ValidatableResponse post(Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(PATH).then();
    }

    private static ValidatableResponse invalidRequest(ValidatableResponse r, String detailPart) {
        return problem(r, 400, PATH).body("type", equalTo("urn:shoal:problem:invalid-request"))
                .body("detail", containsString(detailPart));
    }

    @Test
    void onePayloadIsAcceptedWithItsSha256() {
        byte[] payload = uniquePayload("single");
        post(Map.of("payload", b64(payload)))
                .statusCode(202).contentType("application/json")
                .body("accepted", equalTo(1))
                .body("digests", equalTo(List.of(sha256Hex(payload))));
    }

    @Test
    void aListIsAcceptedWithDigestsInRequestOrder() {
        List<byte[]> payloads = List.of(uniquePayload("list-a"), uniquePayload("list-b"), uniquePayload("list-c"));
        List<String> digests = post(Map.of("transactions", payloads.stream().map(ApiTestSupport::b64).toList()))
                .statusCode(202).contentType("application/json")
                .body("accepted", equalTo(3))
                .extract().jsonPath().getList("digests", String.class);
        assertThat(digests).containsExactlyElementsOf(payloads.stream().map(ApiTestSupport::sha256Hex).toList());
    }

    @Test
    void theSamePayloadTwiceInOneRequestIsAcknowledgedTwice() {
        byte[] payload = uniquePayload("twice-in-one");
        post(Map.of("transactions", List.of(b64(payload), b64(payload))))
                .statusCode(202)
                .body("accepted", equalTo(2))
                .body("digests", equalTo(List.of(sha256Hex(payload), sha256Hex(payload))));
    }

    @Test
    void bothFieldsAre400() {
        invalidRequest(post(Map.of("payload", b64(uniquePayload("both")), "transactions", List.of(b64(uniquePayload("both"))))),
                "exactly one of");
    }

    @Test
    void neitherFieldIs400() {
        invalidRequest(post("{}"), "exactly one of");
    }

    @Test
    void anEmptyListIs400() {
        invalidRequest(post(Map.of("transactions", List.of())), "\"transactions\" is empty");
    }

    @Test
    void aNullElementIs400NamingIt() {
        invalidRequest(post("{\"transactions\":[\"" + b64(uniquePayload("ok")) + "\", null]}"), "transactions[1] is null");
    }

    @Test
    void badBase64Is400NamingTheField() {
        invalidRequest(post(Map.of("payload", "not*base64!")), "\"payload\" is not valid base64");
        invalidRequest(post(Map.of("transactions", List.of(b64(uniquePayload("ok")), "%%%"))), "transactions[1] is not valid base64");
    }

    @Test
    void anEmptyPayloadIs400() {
        invalidRequest(post(Map.of("payload", "")), "\"payload\" is empty");
    }

    @Test
    void tooManyTransactionsAre400() {
        int n = ApiTestSupport.MAX_TRANSACTIONS_PER_REQUEST + 1;
        List<String> many = new ArrayList<>(Collections.nCopies(n, b64(new byte[] {1})));
        invalidRequest(post(Map.of("transactions", many)), n + " transactions in one request; the limit is "
                + ApiTestSupport.MAX_TRANSACTIONS_PER_REQUEST);
    }

    @Test
    void anOversizedPayloadIs400() {
        byte[] big = new byte[ApiTestSupport.MAX_TRANSACTION_BYTES + 1];
        Arrays.fill(big, (byte) 7);
        invalidRequest(post(Map.of("payload", b64(big))), "is " + big.length + " bytes; the limit is " + ApiTestSupport.MAX_TRANSACTION_BYTES);
    }

    @Test
    void aPayloadOfExactlyTheLimitIsAccepted() {
        byte[] payload = uniquePayload("limit");
        byte[] exact = Arrays.copyOf(payload, ApiTestSupport.MAX_TRANSACTION_BYTES);
        post(Map.of("payload", b64(exact))).statusCode(202).body("digests[0]", equalTo(sha256Hex(exact)));
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        problem(post("{\"payload\": "), 400, PATH).body("type", equalTo("urn:shoal:problem:malformed-json"));
        problem(post("payload=abc"), 400, PATH).body("type", equalTo("urn:shoal:problem:malformed-json"));
    }

    @Test
    void aBodyOfTheWrongShapeIs400() {
        problem(post("{\"transactions\": {\"a\": 1}}"), 400, PATH).body("type", equalTo("urn:shoal:problem:malformed-json"));
        problem(post("[1, 2]"), 400, PATH).body("type", equalTo("urn:shoal:problem:malformed-json"));
    }

    @Test
    void anEmptyBodyIs400() {
        invalidRequest(given().contentType(ContentType.JSON).when().post(PATH).then(), "needs a JSON body");
    }

    @Test
    void anotherContentTypeIs415() {
        problem(given().contentType(ContentType.TEXT).body("hello").when().post(PATH).then(), 415, PATH)
                .body("detail", containsString("application/json"));
    }

    @Test
    void getIs405() {
        problem(given().when().get(PATH).then(), 405, PATH).body("detail", containsString("GET"));
    }

    /**
     * A resubmitted payload is acknowledged with the same digest and committed once. A marker
     * submitted after both acknowledgements bounds the wait: batches are proposed in the order
     * they became durable, so once the marker is committed, a second copy would be too.
     */
    @Test
    void aResubmittedPayloadIsCommittedOnce() {
        long before = ApiTestSupport.publishedCommitIndex();
        byte[] payload = uniquePayload("resubmitted");
        String first = ApiTestSupport.submit(payload);
        String second = ApiTestSupport.submit(payload);
        assertThat(second).isEqualTo(first);
        String marker = ApiTestSupport.submit(uniquePayload("marker"));

        Map<String, Object> markerCommit = ApiTestSupport.awaitCommitted(marker, before + 1);
        List<Map<String, Object>> withPayload = ApiTestSupport.commitsContaining(first, before + 1).stream()
                .filter(c -> ApiTestSupport.index(c) <= ApiTestSupport.index(markerCommit)).toList();
        assertThat(withPayload).as("commits listing the resubmitted transaction").hasSize(1);
        assertThat(ApiTestSupport.transactionDigests(withPayload.get(0))).containsOnlyOnce(first);
        // And nothing later either: the whole log from before the submission holds it exactly once.
        assertThat(ApiTestSupport.commitsContaining(first, 1)).hasSize(1);
    }

    /** Each acknowledgement says what happened: new, already accepted here, or already committed (with its commit). */
    @Test
    void theAcknowledgementSaysWhetherATransactionIsNewInFlightOrCommitted() {
        long before = ApiTestSupport.publishedCommitIndex();
        byte[] payload = uniquePayload("outcome");
        String digest = sha256Hex(payload);
        given().contentType("application/json").body(Map.of("transactions", List.of(b64(payload), b64(payload))))
                .when().post(PATH).then().statusCode(202)
                .body("accepted", equalTo(2))
                .body("transactions.status", equalTo(List.of("accepted", "duplicate")))
                .body("transactions.digest", equalTo(List.of(digest, digest)));
        long committedIn = ApiTestSupport.index(ApiTestSupport.awaitCommitted(digest, before + 1));
        given().contentType("application/json").body(Map.of("payload", b64(payload)))
                .when().post(PATH).then().statusCode(202)
                .body("transactions[0].status", equalTo("committed"))
                .body("transactions[0].commitIndex", equalTo((int) committedIn));
    }
}
