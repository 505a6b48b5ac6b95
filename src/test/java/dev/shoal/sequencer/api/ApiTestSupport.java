package dev.shoal.sequencer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.shoal.sequencer.core.types.Hex;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * Black-box helpers of the API tests: submitting transactions, waiting for them in the commit
 * log, and checking problem documents. Uses only HTTP, so the {@code *IT} variants can run the
 * same tests against the packaged application.
 */
final class ApiTestSupport {
    /** Mirrors of the SequencerConfig defaults the tests run with (sequencer.api.*). */
    static final int MAX_PAGE_SIZE = 1000;
    static final int MAX_TRANSACTIONS_PER_REQUEST = 10_000;
    static final int MAX_TRANSACTION_BYTES = 1_048_576;
    /** sequencer.api.stream-retry-delay, in the milliseconds of the stream's retry field. */
    static final String STREAM_RETRY_MILLIS = "2000";

    /** A generous bound for waiting on the running node: a guard against hanging, not a timing assertion. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private ApiTestSupport() {}

    /** A payload no other test (and no earlier run on the same database) submitted. */
    static byte[] uniquePayload(String label) {
        return (label + ":" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    static String b64(byte[] payload) {
        return Base64.getEncoder().encodeToString(payload);
    }

    static String sha256Hex(byte[] payload) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** POSTs one payload, expects 202 and returns its digest. */
    static String submit(byte[] payload) {
        String digest = given().contentType(ContentType.JSON).body(Map.of("payload", b64(payload)))
                .when().post("/api/v1/transactions")
                .then().statusCode(202).contentType("application/json")
                .body("accepted", equalTo(1))
                .extract().jsonPath().getString("digests[0]");
        assertThat(digest).isEqualTo(sha256Hex(payload));
        return digest;
    }

    /** Highest published commit index (GET /api/v1/status). */
    static long publishedCommitIndex() {
        return given().when().get("/api/v1/status").then().statusCode(200)
                .extract().jsonPath().getLong("consensus.publishedCommitIndex");
    }

    /** One page of GET /api/v1/commits as parsed JSON objects. */
    static List<Map<String, Object>> commits(long from, int limit) {
        return given().queryParam("from", from).queryParam("limit", limit)
                .when().get("/api/v1/commits")
                .then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("$");
    }

    /** Waits until commits from..from+count-1 all exist, and returns them. */
    static List<Map<String, Object>> awaitCommits(long from, int count) {
        return Awaitility.await("commits " + from + ".." + (from + count - 1)).atMost(PATIENCE)
                .until(() -> commits(from, count), page -> page.size() == count);
    }

    /** Every commit (from index from on, to the current end of the log) that lists the transaction. */
    static List<Map<String, Object>> commitsContaining(String txDigest, long from) {
        List<Map<String, Object>> found = new ArrayList<>();
        long next = from;
        while (true) {
            List<Map<String, Object>> page = commits(next, MAX_PAGE_SIZE);
            for (Map<String, Object> c : page) {
                if (transactionDigests(c).contains(txDigest)) found.add(c);
            }
            if (page.size() < MAX_PAGE_SIZE) return found;
            next = index(page.get(page.size() - 1)) + 1;
        }
    }

    /** Waits until a commit with index >= from lists the transaction; returns that commit. */
    static Map<String, Object> awaitCommitted(String txDigest, long from) {
        return Awaitility.await("transaction " + txDigest + " committed").atMost(PATIENCE)
                .until(() -> commitsContaining(txDigest, from).stream().findFirst(), Optional::isPresent).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static List<String> transactionDigests(Map<String, Object> commit) {
        return ((List<Map<String, Object>>) commit.get("transactions")).stream().map(t -> (String) t.get("digest")).toList();
    }

    static long index(Map<String, Object> commit) {
        return ((Number) commit.get("index")).longValue();
    }

    /** The common checks of an RFC 9457 problem response; returns it for more. */
    static ValidatableResponse problem(ValidatableResponse r, int status, String instance) {
        return r.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", not(equalTo(null)))
                .body("type", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body("instance", equalTo(instance))
                .body(not(containsString("Exception")))
                .body(not(containsString("\tat ")));
    }

    /** A 400 invalid-parameter problem that names the parameter. */
    static ValidatableResponse invalidParameter(ValidatableResponse r, String instance, String parameter) {
        return problem(r, 400, instance)
                .body("type", equalTo("urn:shoal:problem:invalid-parameter"))
                .body("detail", containsString("'" + parameter + "'"));
    }
}
