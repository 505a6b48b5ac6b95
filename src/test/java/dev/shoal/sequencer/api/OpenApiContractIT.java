package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The OpenAPI document of the packaged application. */
@QuarkusIntegrationTest
class OpenApiContractIT extends OpenApiContractTest {
}
