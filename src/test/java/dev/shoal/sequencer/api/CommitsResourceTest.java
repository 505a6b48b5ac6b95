package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.awaitCommits;
import static dev.shoal.sequencer.api.ApiTestSupport.b64;
import static dev.shoal.sequencer.api.ApiTestSupport.commits;
import static dev.shoal.sequencer.api.ApiTestSupport.index;
import static dev.shoal.sequencer.api.ApiTestSupport.invalidParameter;
import static dev.shoal.sequencer.api.ApiTestSupport.uniquePayload;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** GET /api/v1/commits and the SSE stream: the docs/api.md JSON, gap-free ascending indexes, live delivery. */
@QuarkusTest
class CommitsResourceTest {
    private static final String HEX64 = "[0-9a-f]{64}";
    private static final String STREAM = "/api/v1/commits/stream";
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    @SuppressWarnings("unchecked")
    @Test
    void aSubmittedTransactionIsCommittedInTheDesignShape() {
        long before = ApiTestSupport.publishedCommitIndex();
        byte[] payload = uniquePayload("commit-shape");
        String digest = ApiTestSupport.submit(payload);

        Map<String, Object> commit = ApiTestSupport.awaitCommitted(digest, before + 1);

        assertThat(commit).containsOnlyKeys("index", "anchor", "certificates", "transactions", "skippedBatches",
                "skippedTransactions", "committedAt");
        assertThat((List<String>) commit.get("skippedBatches")).as("a batch listed once is never skipped").isEmpty();
        assertThat((List<String>) commit.get("skippedTransactions")).as("a transaction sent once is never skipped").isEmpty();
        assertThat(index(commit)).isGreaterThan(before);
        Map<String, Object> anchor = (Map<String, Object>) commit.get("anchor");
        assertThat(anchor).containsOnlyKeys("round", "author", "digest");
        assertThat(((Number) anchor.get("round")).longValue()).isPositive();
        assertThat(anchor.get("author")).isEqualTo(0);
        List<String> certificates = (List<String>) commit.get("certificates");
        assertThat(certificates).isNotEmpty().allMatch(c -> c.matches(HEX64));
        assertThat(certificates.get(certificates.size() - 1)).as("the anchor is the last certificate").isEqualTo(anchor.get("digest"));
        List<Map<String, Object>> txs = (List<Map<String, Object>>) commit.get("transactions");
        assertThat(txs).allSatisfy(t -> {
            assertThat(t).containsOnlyKeys("digest", "payload");
            assertThat((String) t.get("digest")).matches(HEX64);
        });
        assertThat(txs).filteredOn(t -> digest.equals(t.get("digest")))
                .singleElement().satisfies(t -> assertThat(t.get("payload")).isEqualTo(b64(payload)));
        assertThat(Instant.parse((String) commit.get("committedAt"))).isBefore(Instant.now().plusSeconds(60));
    }

    @Test
    void theLogStartsAtOneAndIsGapFreeAndAscending() {
        List<Map<String, Object>> page = awaitCommits(1, 50);
        assertThat(page.stream().map(ApiTestSupport::index).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
    }

    @Test
    void aPageStartsAtFromAndHoldsAtMostLimit() {
        awaitCommits(1, 30);
        List<Map<String, Object>> page = commits(21, 7);
        assertThat(page.stream().map(ApiTestSupport::index).toList()).containsExactly(21L, 22L, 23L, 24L, 25L, 26L, 27L);
        assertThat(commits(21, 1)).singleElement().isEqualTo(page.get(0));
    }

    @Test
    void withoutParametersThePageStartsAtOne() {
        awaitCommits(1, 1);
        List<Map<String, Object>> page = given().when().get("/api/v1/commits").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertThat(page).isNotEmpty().hasSizeLessThanOrEqualTo(100);
        assertThat(index(page.get(0))).isEqualTo(1);
    }

    @Test
    void fromBeyondTheEndIsAnEmptyPage() {
        assertThat(commits(Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void invalidParametersAre400NamingThem() {
        String path = "/api/v1/commits";
        invalidParameter(given().queryParam("from", 0).when().get(path).then(), path, "from");
        invalidParameter(given().queryParam("from", -3).when().get(path).then(), path, "from");
        invalidParameter(given().queryParam("from", "abc").when().get(path).then(), path, "from");
        invalidParameter(given().queryParam("limit", 0).when().get(path).then(), path, "limit");
        invalidParameter(given().queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE + 1).when().get(path).then(), path, "limit");
        invalidParameter(given().queryParam("limit", "ten").when().get(path).then(), path, "limit");
    }

    @Test
    void theStreamFromOneReplaysTheLogInOrderWithTheSameJson() throws Exception {
        int n = 25;
        List<Map<String, Object>> events = CommitStreamClient.firstEvents("/api/v1/commits/stream?from=1", n);
        assertThat(events.stream().map(ApiTestSupport::index).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        assertThat(events).containsExactlyElementsOf(commits(1, n));
    }

    @Test
    void theStreamGoesOnLiveAfterTheStoredLog() throws Exception {
        long next = ApiTestSupport.publishedCommitIndex() + 1;
        List<Map<String, Object>> events = CommitStreamClient.firstEvents("/api/v1/commits/stream?from=" + next, 3);
        assertThat(events.stream().map(ApiTestSupport::index).toList()).containsExactly(next, next + 1, next + 2);
        assertThat(events).containsExactlyElementsOf(commits(next, 3));
    }

    @Test
    void theStreamCarriesSubmittedTransactions() throws Exception {
        long next = ApiTestSupport.publishedCommitIndex() + 1;
        byte[] payload = uniquePayload("streamed");
        String digest = ApiTestSupport.submit(payload);
        Map<String, Object> committed = ApiTestSupport.awaitCommitted(digest, next);
        int upTo = (int) (index(committed) - next + 1);
        List<Map<String, Object>> events = CommitStreamClient.firstEvents("/api/v1/commits/stream?from=" + next, upTo);
        assertThat(events.get(events.size() - 1)).isEqualTo(committed);
    }

    @Test
    void everyEventCarriesItsCommitIndexAsIdAndNoEventName() throws Exception {
        int n = 12;
        List<CommitStreamClient.Block> events = CommitStreamClient.firstDataBlocks(STREAM + "?from=1", Map.of(), n);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.id()).as("id of %s", e.data()).isEqualTo(Long.toString(index(e.json())));
            assertThat(e.event()).as("no event name: EventSource onmessage gets every commit").isNull();
        });
        assertThat(events.stream().map(CommitStreamClient.Block::id).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, n).mapToObj(Long::toString).toList());
    }

    @Test
    void theStreamOpensWithTheRetryHintAndThePositionItStartsAfter() throws Exception {
        awaitCommits(1, 5);
        CommitStreamClient.Block first = CommitStreamClient.blocks(STREAM + "?from=5", Map.of(), read -> !read.isEmpty()).get(0);
        assertThat(first.retry()).isEqualTo(ApiTestSupport.STREAM_RETRY_MILLIS);
        assertThat(first.id()).as("a client that keeps only ids still resumes at 5 if cut before the first commit").isEqualTo("4");
        assertThat(first.hasData()).as("no message event: EventSource dispatches none without data").isFalse();

        CommitStreamClient.Block resumed = CommitStreamClient.blocks(STREAM, Map.of(LAST_EVENT_ID, "9"), read -> !read.isEmpty()).get(0);
        assertThat(resumed.id()).isEqualTo("9");
        assertThat(resumed.retry()).isEqualTo(ApiTestSupport.STREAM_RETRY_MILLIS);
    }

    @Test
    void lastEventIdResumesAtTheNextCommit() throws Exception {
        awaitCommits(1, 20);
        List<CommitStreamClient.Block> events = CommitStreamClient.firstDataBlocks(STREAM, Map.of(LAST_EVENT_ID, "7"), 5);
        assertThat(events.stream().map(e -> index(e.json())).toList()).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(events.stream().map(CommitStreamClient.Block::json).toList()).containsExactlyElementsOf(commits(8, 5));

        List<CommitStreamClient.Block> fromZero = CommitStreamClient.firstDataBlocks(STREAM, Map.of(LAST_EVENT_ID, "0"), 1);
        assertThat(index(fromZero.get(0).json())).as("0: nothing received yet").isEqualTo(1);
    }

    @Test
    void lastEventIdWinsOverFrom() throws Exception {
        awaitCommits(1, 20);
        // A reconnecting EventSource sends its original URL, ?from= included, with the header.
        List<CommitStreamClient.Block> events = CommitStreamClient.firstDataBlocks(STREAM + "?from=3", Map.of(LAST_EVENT_ID, "12"), 2);
        assertThat(events.stream().map(e -> index(e.json())).toList()).containsExactly(13L, 14L);
    }

    @Test
    void anEmptyLastEventIdIsNone() throws Exception {
        awaitCommits(1, 5);
        List<CommitStreamClient.Block> events = CommitStreamClient.firstDataBlocks(STREAM + "?from=4", Map.of(LAST_EVENT_ID, ""), 1);
        assertThat(index(events.get(0).json())).isEqualTo(4);
    }

    @Test
    void aBadLastEventIdIs400NamingIt() throws Exception {
        for (String bad : List.of("abc", "-1", "1.5", "99999999999999999999", Long.toString(Long.MAX_VALUE))) {
            assertInvalid(CommitStreamClient.answer(STREAM, Map.of(LAST_EVENT_ID, bad)), LAST_EVENT_ID);
        }
        // Every part of the request must parse, also the one the header overrides.
        assertInvalid(CommitStreamClient.answer(STREAM + "?from=x", Map.of(LAST_EVENT_ID, "5")), "from");
    }

    /** A 400 invalid-parameter problem naming the parameter, as {@link ApiTestSupport#invalidParameter} checks it. */
    private static void assertInvalid(CommitStreamClient.Answer answer, String parameter) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().getString("type")).isEqualTo("urn:shoal:problem:invalid-parameter");
        assertThat(answer.json().getInt("status")).isEqualTo(400);
        assertThat(answer.json().getString("instance")).isEqualTo(STREAM);
        assertThat(answer.json().getString("detail")).contains("'" + parameter + "'").doesNotContain("Exception");
    }

    @Test
    void anInvalidStreamStartIs400() {
        String path = "/api/v1/commits/stream";
        invalidParameter(given().queryParam("from", 0).when().get(path).then(), path, "from");
        invalidParameter(given().queryParam("from", "x").when().get(path).then(), path, "from");
        invalidParameter(given().queryParam("payloads", "no").when().get(path).then(), path, "payloads");
    }

    @SuppressWarnings("unchecked")
    @Test
    void withoutPayloadsTheSameCommitsListDigestsOnly() throws Exception {
        long next = ApiTestSupport.publishedCommitIndex() + 1;
        String digest = ApiTestSupport.submit(uniquePayload("digests-only"));
        Map<String, Object> committed = ApiTestSupport.awaitCommitted(digest, next);
        long at = index(committed);

        Map<String, Object> bare = given().queryParam("from", at).queryParam("limit", 1).queryParam("payloads", "false")
                .when().get("/api/v1/commits").then().statusCode(200).extract().jsonPath().getList("$", Map.class).get(0);
        List<Map<String, Object>> bareTxs = (List<Map<String, Object>>) bare.get("transactions");
        assertThat(bareTxs).allSatisfy(t -> assertThat(t).containsOnlyKeys("digest"));
        assertThat(bareTxs.stream().map(t -> t.get("digest")).toList()).as("same transactions, same order")
                .containsExactlyElementsOf(((List<Map<String, Object>>) committed.get("transactions")).stream().map(t -> t.get("digest")).toList());
        assertThat(bare).usingRecursiveComparison().ignoringFields("transactions").isEqualTo(committed);

        List<Map<String, Object>> streamed = CommitStreamClient.firstEvents("/api/v1/commits/stream?payloads=false&from=" + at, 1);
        assertThat(streamed).containsExactly(bare);
        assertThat(commits(at, 1)).as("payloads stay the default").containsExactly(committed);
    }

    @Test
    void anInvalidPayloadsFlagIs400() {
        String path = "/api/v1/commits";
        invalidParameter(given().queryParam("payloads", "yes").when().get(path).then(), path, "payloads");
        invalidParameter(given().queryParam("payloads", "1").when().get(path).then(), path, "payloads");
    }
}
