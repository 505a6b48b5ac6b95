package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The certificate queries against the packaged application. */
@QuarkusIntegrationTest
class CertificatesResourceIT extends CertificatesResourceTest {
}
