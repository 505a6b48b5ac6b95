package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.Destination;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.core.validator.Output;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a whole committee of real {@link ValidatorStateMachine}s in one thread with instant,
 * lossless, first-in-first-out delivery (no network, no timers), one round per clock step, and
 * hands what one of them (the recorded validator) persisted to a {@link HistorySink}.
 *
 * <p>Each round: every validator's worker seals a few synthetic batches ({@link Event.BatchReady});
 * then every validator gets the clock ({@link Event.Start} for round 1, {@link Event.Tick} after,
 * {@code roundMs} apart), which lets it propose (the cores pace proposals with
 * {@code minHeaderIntervalMs = roundMs}); then messages are delivered until none is left, by which
 * time every header of the round has its certificate at every validator. The run is a pure
 * function of the committee keys and the settings: one seed gives one history, bit for bit.
 */
public final class HistoryGenerator {

    /**
     * @param rounds       rounds to run (every validator certifies one header per round)
     * @param self         committee index of the recorded validator
     * @param consensus    ordering settings; must equal the service's (gc depth, reputation period)
     * @param startMs      clock of round 1 (header timestamps, commit times)
     * @param roundMs      clock step per round
     * @param verifyEvery  Ed25519 signatures are verified in every verifyEvery-th round ({@link SeedVerifier})
     */
    public record Settings(long rounds, int self, ConsensusConfig consensus, long startMs, long roundMs,
                           SyntheticBatches batches, long verifyEvery) {
        public ValidatorConfig validatorConfig() {
            // Pacing by the clock: exactly one proposal per Tick; a header holds every batch of a round.
            return new ValidatorConfig(1_000, 500, 1_000, 1_000, 256, roundMs);
        }
    }

    /** Progress of a run, reported about every {@code progressEvery} rounds. */
    public record Progress(long round, long rounds, long certificates, long commits, long elapsedNanos) {}

    /** What a run produced. */
    public record Result(ValidatorStateMachine recorded, long certificates, long commits, long nowMs,
                         long signaturesVerified) {}

    private record Delivery(int to, Event event) {}

    private final CommitteeKeys keys;
    private final Settings settings;

    public HistoryGenerator(CommitteeKeys keys, Settings settings) {
        if (settings.self() < 0 || settings.self() >= keys.size()) {
            throw new IllegalArgumentException("validator " + settings.self() + " is not in a committee of " + keys.size());
        }
        if (settings.rounds() < 1) throw new IllegalArgumentException("rounds must be at least 1");
        this.keys = keys;
        this.settings = settings;
    }

    public Result run(HistorySink sink, Consumer<Progress> progress, long progressEvery) {
        int n = keys.size();
        int self = settings.self();
        SeedVerifier verifier = new SeedVerifier(settings.verifyEvery());
        ValidatorConfig vc = settings.validatorConfig();
        ValidatorStateMachine[] nodes = new ValidatorStateMachine[n];
        for (int i = 0; i < n; i++) {
            nodes[i] = ValidatorStateMachine.create(keys.committee(), i, keys.key(i), settings.consensus(), vc, verifier);
        }
        WriteGroupMapper mapper = WriteGroupMapper.fresh(n);
        ArrayDeque<Delivery> queue = new ArrayDeque<>();
        long started = System.nanoTime();
        long now = settings.startMs();
        long certificates = 0;
        for (long round = 1; round <= settings.rounds(); round++) {
            for (int v = 0; v < n; v++) {
                List<Batch> batches = settings.batches().forRound(v, round);
                if (batches.isEmpty()) continue;
                // The recorded validator holds every batch of the committee, not only its own: it
                // votes for a header only once it has the header's batches, and outputs them on commit.
                sink.batches(batches);
                List<Digest> digests = new ArrayList<>(batches.size());
                for (Batch b : batches) digests.add(b.digest());
                queue.add(new Delivery(v, new Event.BatchReady(digests)));
            }
            for (int v = 0; v < n; v++) {
                queue.add(new Delivery(v, round == 1 ? new Event.Start(now) : new Event.Tick(now)));
            }
            while (!queue.isEmpty()) {
                Delivery d = queue.poll();
                Output out = nodes[d.to()].step(d.event());
                if (out.isEmpty()) continue;
                if (d.to() == self && !out.toPersist().isEmpty()) {
                    Instant at = Instant.ofEpochMilli(now);
                    sink.write(mapper.toWriteGroup(out.toPersist(), at), at);
                }
                for (Outbound o : out.toSend()) route(d.to(), o, n, queue);
            }
            for (int v = 0; v < n; v++) {
                if (nodes[v].round() != round || nodes[v].dag().round(round).size() != n) {
                    throw new IllegalStateException("round " + round + " did not complete at validator " + v + ": its round is "
                            + nodes[v].round() + ", it holds " + nodes[v].dag().round(round).size() + " of " + n
                            + " certificates of the round");
                }
            }
            certificates += n;
            if (round % progressEvery == 0 || round == settings.rounds()) {
                progress.accept(new Progress(round, settings.rounds(), certificates, nodes[self].lastCommitIndex(),
                        System.nanoTime() - started));
            }
            now += settings.roundMs();
        }
        return new Result(nodes[self], certificates, nodes[self].lastCommitIndex(), now - settings.roundMs(), verifier.verified());
    }

    private static void route(int from, Outbound o, int n, ArrayDeque<Delivery> queue) {
        Message m = o.message();
        if (o.destination() instanceof Destination.To to) {
            queue.add(new Delivery(to.validator(), Event.received(m, from)));
        } else {
            for (int v = 0; v < n; v++) {
                if (v != from) queue.add(new Delivery(v, Event.received(m, from)));
            }
        }
    }
}
