package dev.shoal.sequencer.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The health tests against the packaged application. */
@QuarkusIntegrationTest
class HealthIT extends HealthTest {
}
