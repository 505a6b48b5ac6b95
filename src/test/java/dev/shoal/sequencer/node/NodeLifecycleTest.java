package dev.shoal.sequencer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Plain JUnit: the lifecycle only moves forward, and readiness needs healthy storage. */
class NodeLifecycleTest {

    @Test
    void movesStartingRecoveringReady() {
        NodeLifecycle l = new NodeLifecycle();
        assertThat(l.state()).isEqualTo(NodeLifecycle.State.STARTING);
        assertThat(l.started()).isFalse();
        l.beginRecovery();
        assertThat(l.state()).isEqualTo(NodeLifecycle.State.RECOVERING);
        assertThat(l.started()).isFalse();
        assertThat(l.ready()).isFalse();
        l.markReady();
        assertThat(l.state()).isEqualTo(NodeLifecycle.State.READY);
        assertThat(l.started()).isTrue();
        assertThat(l.ready()).isTrue();
    }

    @Test
    void refusesToSkipOrRepeatStates() {
        NodeLifecycle l = new NodeLifecycle();
        assertThatThrownBy(l::markReady).isInstanceOf(IllegalStateException.class).hasMessageContaining("from STARTING");
        l.beginRecovery();
        assertThatThrownBy(l::beginRecovery).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unhealthyStorageMakesItNotReadyButStillStarted() {
        NodeLifecycle l = new NodeLifecycle();
        l.beginRecovery();
        l.markReady();
        l.storageHealthy(false);
        assertThat(l.ready()).isFalse();
        assertThat(l.started()).isTrue();
        l.storageHealthy(true);
        assertThat(l.ready()).isTrue();
    }

    @Test
    void aValidatorThatCannotCatchUpIsNotReadyUntilItCan() {
        NodeLifecycle l = new NodeLifecycle();
        l.beginRecovery();
        l.markReady();
        l.cannotCatchUp("peers [1, 2] no longer hold rounds from 51");
        assertThat(l.ready()).isFalse();
        assertThat(l.started()).isTrue();
        assertThat(l.cannotCatchUp()).contains("rounds from 51");
        l.cannotCatchUp(null);
        assertThat(l.ready()).isTrue();
        assertThat(l.cannotCatchUp()).isNull();
    }
}
