package dev.shoal.sequencer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The commit stream's timing settings: the retry hint it opens with, and heartbeat comments while
 * it has nothing to send, so that a proxy does not close an idle stream. Short settings here.
 */
@QuarkusTest
@TestProfile(CommitStreamHeartbeatTest.ShortTiming.class)
class CommitStreamHeartbeatTest {

    /** Heartbeats every 200 ms, a retry hint of 750 ms. */
    public static class ShortTiming implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sequencer.api.stream-heartbeat-interval", "200ms", "sequencer.api.stream-retry-delay", "750ms");
        }
    }

    @Test
    void anIdleStreamSendsHeartbeatCommentsAfterItsRetryHint() throws Exception {
        // Far past the log's end: nothing to send for as long as the test runs.
        long idle = ApiTestSupport.publishedCommitIndex() + 1_000_000;
        List<CommitStreamClient.Block> blocks = CommitStreamClient.blocks("/api/v1/commits/stream?from=" + idle, Map.of(),
                read -> read.size() >= 3);

        assertThat(blocks.get(0).retry()).isEqualTo("750");
        assertThat(blocks.get(0).id()).isEqualTo(Long.toString(idle - 1));
        assertThat(blocks.subList(1, 3)).allSatisfy(b -> {
            assertThat(b.comments()).containsExactly("heartbeat");
            assertThat(b.id()).as("a heartbeat moves no client's position").isNull();
            assertThat(b.hasData()).as("a heartbeat is no message").isFalse();
        });
    }
}
