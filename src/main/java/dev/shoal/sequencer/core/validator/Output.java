package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import java.util.List;

/**
 * What one {@link ValidatorStateMachine#step} asks its driver to do. The contract is etcd-raft's
 * {@code Ready}:
 * <ol>
 *   <li>make every record of {@link #toPersist()} durable, in order, and wait until it is;</li>
 *   <li>only then send {@link #toSend()} and publish {@link #committed()};</li>
 *   <li>set the {@link #timers()} (order does not matter).</li>
 * </ol>
 * A driver that cannot persist must not send or publish (docs/safety.md, rule 5): sending a header or a
 * vote that is not durable can make the restarted validator equivocate.
 *
 * @param toPersist records to make durable first, in order
 * @param toSend    messages to send after the records are durable
 * @param committed sub-DAGs committed in this step, by ascending commit index (also in toPersist)
 * @param timers    timers to set
 */
public record Output(List<PersistRecord> toPersist, List<Outbound> toSend, List<CommittedSubDag> committed,
                     List<TimerRequest> timers) {
    public static final Output EMPTY = new Output(List.of(), List.of(), List.of(), List.of());

    public Output {
        toPersist = List.copyOf(toPersist);
        toSend = List.copyOf(toSend);
        committed = List.copyOf(committed);
        timers = List.copyOf(timers);
    }

    public boolean isEmpty() {
        return toPersist.isEmpty() && toSend.isEmpty() && committed.isEmpty() && timers.isEmpty();
    }
}
