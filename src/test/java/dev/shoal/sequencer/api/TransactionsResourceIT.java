package dev.shoal.sequencer.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The transaction tests against the packaged application. */
@QuarkusIntegrationTest
class TransactionsResourceIT extends TransactionsResourceTest {
}
