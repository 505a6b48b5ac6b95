package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The status tests against the packaged application. */
@QuarkusIntegrationTest
class StatusResourceIT extends StatusResourceTest {
}
