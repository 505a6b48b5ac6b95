package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The batch queries against the packaged application. */
@QuarkusIntegrationTest
class BatchesResourceIT extends BatchesResourceTest {
}
