package dev.shoal.sequencer.runtime;

import dev.shoal.sequencer.recovery.RecoveryResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What this validator reports about itself beyond its identity and lifecycle: the last recovery and its peers. */
@ApplicationScoped
public class NodeStatus {
    private final NodeBoot boot;

    NodeStatus(NodeBoot boot) {
        this.boot = boot;
    }

    /** The last start-up recovery, once it is done. */
    public Optional<RecoveryResult> recovery() {
        return boot.running().map(RunningNode::recovery);
    }

    /** Per peer index: connected both ways (empty for a committee of one, or before recovery is done). */
    public Map<Integer, Boolean> peersConnected() {
        Map<Integer, Boolean> out = new HashMap<>();
        boot.running().flatMap(RunningNode::peers)
                .ifPresent(p -> p.peers().forEach(s -> out.put(s.index(), s.connected() && s.inboundConnected())));
        return out;
    }
}
