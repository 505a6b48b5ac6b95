package dev.shoal.sequencer.recovery;

import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import java.util.List;

/**
 * A rebuilt validator, ready for its consensus loop.
 *
 * @param core                 the state machine, restored; feed it Start next
 * @param mapper               the persist mapper, positioned after the last stored commit
 * @param lastStoredCommit     highest commit index in the commit log (what clients may already have seen)
 * @param unproposedBatches    our durable batches that no certificate and no own header references: re-proposed
 * @param result               what recovery did
 * @param firstHeldCommit      the lowest commit index the log can hold: 1, or the one after the checkpoint this
 *                             validator joined from (it has no history below)
 */
public record RecoveredNode(ValidatorStateMachine core, WriteGroupMapper mapper, long lastStoredCommit,
                            List<Digest> unproposedBatches, RecoveryResult result, long firstHeldCommit) {}
