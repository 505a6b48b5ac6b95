package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The problem+json cases of the real endpoints against the packaged application. */
@QuarkusIntegrationTest
class ProblemDetailsIT extends ProblemDetailsTest {
}
