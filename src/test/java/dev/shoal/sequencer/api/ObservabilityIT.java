package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Metrics and OpenAPI against the packaged application. */
@QuarkusIntegrationTest
class ObservabilityIT extends ObservabilityTest {
}
