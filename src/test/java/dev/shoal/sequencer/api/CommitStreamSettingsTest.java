package dev.shoal.sequencer.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stream settings a start-up refuses, with the key named (StreamSettingsCheck runs this at start). */
class CommitStreamSettingsTest {
    @Test
    void refusesANegativeRetryDelayAndANonPositiveHeartbeat() {
        assertThatThrownBy(() -> CommitStreamEvents.checkSettings(Duration.ofMillis(-1), Duration.ofSeconds(15)))
                .hasMessageContaining("sequencer.api.stream-retry-delay");
        assertThatThrownBy(() -> CommitStreamEvents.checkSettings(Duration.ofSeconds(2), Duration.ZERO))
                .hasMessageContaining("sequencer.api.stream-heartbeat-interval");
        assertThatThrownBy(() -> CommitStreamEvents.checkSettings(Duration.ofSeconds(2), Duration.ofSeconds(-5)))
                .hasMessageContaining("sequencer.api.stream-heartbeat-interval");
    }

    @Test
    void acceptsAZeroRetryDelayAndTheDefaults() {
        assertThatCode(() -> CommitStreamEvents.checkSettings(Duration.ZERO, Duration.ofMillis(1))).doesNotThrowAnyException();
        assertThatCode(() -> CommitStreamEvents.checkSettings(Duration.ofSeconds(2), Duration.ofSeconds(15))).doesNotThrowAnyException();
    }
}
