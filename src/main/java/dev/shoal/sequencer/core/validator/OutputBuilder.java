package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import java.util.ArrayList;
import java.util.List;

/** Collects one step's output. Each list keeps the order of appends: the driver persists and sends in that order. */
final class OutputBuilder {
    private final List<PersistRecord> persist = new ArrayList<>();
    private final List<Outbound> send = new ArrayList<>();
    private final List<CommittedSubDag> committed = new ArrayList<>();
    private final List<TimerRequest> timers = new ArrayList<>();

    void persist(PersistRecord r) { persist.add(r); }
    void send(Destination d, Message m) { send.add(new Outbound(d, m)); }
    void commit(CommittedSubDag c) { committed.add(c); }
    void timer(TimerRequest t) { timers.add(t); }

    Output build() {
        if (persist.isEmpty() && send.isEmpty() && committed.isEmpty() && timers.isEmpty()) return Output.EMPTY;
        return new Output(persist, send, committed, timers);
    }
}
