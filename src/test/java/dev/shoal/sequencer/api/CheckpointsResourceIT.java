package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The checkpoint endpoints against the packaged application. */
@QuarkusIntegrationTest
class CheckpointsResourceIT extends CheckpointsResourceTest {
}
