package dev.shoal.sequencer.api;

import static dev.shoal.sequencer.api.ApiTestSupport.PATIENCE;
import static dev.shoal.sequencer.api.ApiTestSupport.index;
import static dev.shoal.sequencer.api.ApiTestSupport.invalidParameter;
import static dev.shoal.sequencer.api.ApiTestSupport.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** GET /api/v1/certificates with every filter, and GET /api/v1/certificates/{digest}. */
@QuarkusTest
class CertificatesResourceTest {
    private static final String PATH = "/api/v1/certificates";
    private static final String HEX64 = "[0-9a-f]{64}";

    static List<Map<String, Object>> list(RequestSpecification request) {
        return request.when().get(PATH).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getList("$");
    }

    static Map<String, Object> one(String digest) {
        return given().when().get(PATH + "/" + digest).then().statusCode(200).contentType("application/json")
                .extract().jsonPath().getMap("$");
    }

    static long round(Map<String, Object> c) {
        return ((Number) c.get("round")).longValue();
    }

    /** Certificates of rounds >= 2 exist (the node proposes a round every few tens of milliseconds). */
    private static List<Map<String, Object>> awaitSomeRounds(int atLeast) {
        return Awaitility.await("certificates").atMost(PATIENCE)
                .until(() -> list(given().queryParam("limit", atLeast)), l -> l.size() == atLeast);
    }

    @Test
    void theListingIsOrderedByRoundThenAuthorAndShowsEveryField() {
        List<Map<String, Object>> certs = awaitSomeRounds(20);
        for (int i = 1; i < certs.size(); i++) {
            Map<String, Object> a = certs.get(i - 1);
            Map<String, Object> b = certs.get(i);
            assertThat(round(a) < round(b) || (round(a) == round(b) && (int) a.get("author") < (int) b.get("author")))
                    .as("(round, author) order at %d", i).isTrue();
        }
        assertThat(certs).allSatisfy(c -> {
            assertThat(c).containsKeys("digest", "round", "author", "parents", "batchDigests", "signers", "committed", "commitIndex");
            assertThat((String) c.get("digest")).matches(HEX64);
            assertThat(c.get("signers")).isEqualTo(List.of(0)); // a committee of one: its only validator signs
        });
    }

    @SuppressWarnings("unchecked")
    @Test
    void aCertificateBuildsOnThePreviousRound() {
        List<Map<String, Object>> certs = awaitSomeRounds(20);
        Map<String, Object> later = certs.stream().filter(c -> round(c) >= 2).findFirst().orElseThrow();
        Map<String, Object> previous = list(given().queryParam("round", round(later) - 1)).get(0);
        assertThat((List<String>) later.get("parents")).containsExactly((String) previous.get("digest"));
    }

    @Test
    void theRoundFilterKeepsOneRound() {
        long r = round(awaitSomeRounds(10).get(5));
        List<Map<String, Object>> inRound = list(given().queryParam("round", r));
        assertThat(inRound).isNotEmpty().allSatisfy(c -> assertThat(round(c)).isEqualTo(r));
        assertThat(list(given().queryParam("round", Long.MAX_VALUE))).isEmpty();
    }

    @Test
    void theAuthorFilterKeepsOneAuthor() {
        awaitSomeRounds(5);
        assertThat(list(given().queryParam("author", 0).queryParam("limit", 50))).isNotEmpty()
                .allSatisfy(c -> assertThat(c.get("author")).isEqualTo(0));
    }

    @Test
    void theCommittedFilterSeparatesCommittedFromUncommitted() {
        Awaitility.await().atMost(PATIENCE).until(() -> !list(given().queryParam("committed", true)).isEmpty());
        assertThat(list(given().queryParam("committed", "true").queryParam("limit", 200))).isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("committed")).isEqualTo(true);
            assertThat(((Number) c.get("commitIndex")).longValue()).isPositive();
        });
        assertThat(list(given().queryParam("committed", "FALSE").queryParam("limit", 200))).allSatisfy(c -> {
            assertThat(c.get("committed")).isEqualTo(false);
            assertThat(c.get("commitIndex")).isNull();
        });
    }

    @Test
    void filtersCombine() {
        Map<String, Object> committed = Awaitility.await().atMost(PATIENCE)
                .until(() -> list(given().queryParam("committed", true).queryParam("limit", 5)), l -> l.size() == 5).get(4);
        List<Map<String, Object>> match = list(given().queryParam("round", round(committed)).queryParam("author", 0)
                .queryParam("committed", true).queryParam("limit", 10));
        assertThat(match).containsExactly(committed);
        assertThat(list(given().queryParam("round", round(committed)).queryParam("committed", false))).isEmpty();
    }

    @Test
    void theLimitBoundsThePage() {
        awaitSomeRounds(10);
        assertThat(list(given().queryParam("limit", 3))).hasSize(3);
        assertThat(list(given().queryParam("limit", 1))).hasSize(1);
        assertThat(list(given())).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void invalidParametersAre400NamingThem() {
        invalidParameter(given().queryParam("round", -1).when().get(PATH).then(), PATH, "round");
        invalidParameter(given().queryParam("round", "seven").when().get(PATH).then(), PATH, "round");
        invalidParameter(given().queryParam("author", 1).when().get(PATH).then(), PATH, "author")
                .body("detail", containsString("between 0 and 0"));
        invalidParameter(given().queryParam("author", "a").when().get(PATH).then(), PATH, "author");
        invalidParameter(given().queryParam("committed", "yes").when().get(PATH).then(), PATH, "committed");
        invalidParameter(given().queryParam("limit", 0).when().get(PATH).then(), PATH, "limit");
        invalidParameter(given().queryParam("limit", ApiTestSupport.MAX_PAGE_SIZE + 1).when().get(PATH).then(), PATH, "limit");
    }

    @SuppressWarnings("unchecked")
    @Test
    void oneCertificateByDigestIsTheCommittedAnchorOfItsCommit() {
        Map<String, Object> commit = ApiTestSupport.awaitCommits(1, 3).get(2);
        Map<String, Object> anchor = (Map<String, Object>) commit.get("anchor");
        Map<String, Object> cert = one((String) anchor.get("digest"));
        assertThat(cert.get("digest")).isEqualTo(anchor.get("digest"));
        assertThat(cert.get("round")).isEqualTo(anchor.get("round"));
        assertThat(cert.get("author")).isEqualTo(anchor.get("author"));
        assertThat(cert.get("committed")).isEqualTo(true);
        assertThat(((Number) cert.get("commitIndex")).longValue()).isEqualTo(index(commit));
        assertThat((String) cert.get("headerDigest")).matches(HEX64);
        assertThat((List<String>) cert.get("signatures")).singleElement().asString().matches("[0-9a-f]{128}");
        // Upper-case hex names the same certificate.
        assertThat(one(((String) anchor.get("digest")).toUpperCase(Locale.ROOT))).isEqualTo(cert);
    }

    @Test
    void anUnknownDigestIs404() {
        String unknown = "00".repeat(32);
        problem(given().when().get(PATH + "/" + unknown).then(), 404, PATH + "/" + unknown)
                .body("title", equalTo("Not Found"))
                .body("detail", containsString(unknown));
    }

    @Test
    void aDigestThatIsNotHexIs400() {
        invalidParameter(given().when().get(PATH + "/abc").then(), PATH + "/abc", "digest")
                .body("detail", containsString("64 hex characters"));
        String notHex = "zz".repeat(32);
        invalidParameter(given().when().get(PATH + "/" + notHex).then(), PATH + "/" + notHex, "digest");
    }
}
