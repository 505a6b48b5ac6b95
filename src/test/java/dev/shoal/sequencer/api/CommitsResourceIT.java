package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The commit log and stream tests against the packaged application. */
@QuarkusIntegrationTest
class CommitsResourceIT extends CommitsResourceTest {
}
