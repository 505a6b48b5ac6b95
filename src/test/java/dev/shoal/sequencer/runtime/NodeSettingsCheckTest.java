package dev.shoal.sequencer.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up check refuses every node setting NodeAssembly would refuse after recovery, naming its key. */
class NodeSettingsCheckTest {
    @Test
    void theDefaultsPass() {
        assertThatCode(() -> NodeSettingsCheck.check(NodeAssemblyTest.defaults())).doesNotThrowAnyException();
    }

    @Test
    void eachBadNodeSettingIsRefusedWithItsKey() {
        Map<String, String> bad = Map.of(
                "sequencer.batch.dedup-window", "-1",
                "sequencer.batch.max-unordered-transactions", "0",
                "sequencer.consensus.idle-header-interval", "0s");
        bad.forEach((key, value) -> assertThatThrownBy(() -> NodeSettingsCheck.check(NodeAssemblyTest.configured(Map.of(key, value))))
                .as(key).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key));
    }
}
