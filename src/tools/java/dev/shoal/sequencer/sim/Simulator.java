package dev.shoal.sequencer.sim;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.consensus.ConsensusState;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Validator;
import dev.shoal.sequencer.core.validator.Destination;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.core.validator.Output;
import dev.shoal.sequencer.core.validator.PersistRecord;
import dev.shoal.sequencer.core.validator.TimerRequest;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.sim.ByzantineBehaviour.Delivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A deterministic discrete-event simulation of one committee running the real
 * {@link ValidatorStateMachine}s over a seeded network: random delays and reordering, lost
 * transmissions that the link retransmits, Byzantine validators, and honest validators that crash
 * and restart from exactly the records they persisted. One seed gives one run, bit for bit.
 *
 * <p>Network model: a message sent at time t arrives after a uniform delay in
 * [minDelay, maxDelay] before the global stabilisation time (GST) and [minDelay, stableMaxDelay]
 * after it; before GST each transmission is lost with probability dropPercent and retransmitted
 * after retransmitMs. A message that arrives while its receiver is down is lost. Crashes happen
 * before GST; liveness is required after stabilisation = max(GST, last restart).
 *
 * <p>Restarts use {@link ValidatorStateMachine#restore} on exactly what the node's recovery loads
 * from its store: FROM_SCRATCH (every certificate, in (round, author) order, the commit log, and
 * own headers and vote records from the last stored commit's GC round on), or half of the time
 * FROM_CHECKPOINT (the node's latest checkpoint, a consensus state snapshot taken every
 * {@value #CHECKPOINT_INTERVAL_MS} ms, plus the certificates, own headers and votes from its GC
 * round on and the commits after it).
 *
 * <p>Checks: agreement, no certificate committed twice, gap-free commit indexes, causal history
 * before its anchor ({@link CommitChecker}); liveness: every honest node publishes a commit whose
 * anchor round is at least {@code rounds} before the deadline, and every batch given to an honest
 * validator after stabilisation is committed within {@link #BATCH_LATENCY_BOUND_MS}.
 *
 * <p>Load: each honest validator gets a batch every 50 to 250 ms, or, with load phases, only
 * during the busy phases (idle phases then test idle pacing: rounds slow down, and the first batch
 * after an idle phase must not wait for the idle interval).
 *
 * <p>Command line: see {@link SimulatorMain}.
 */
public final class Simulator {
    /** Consensus settings of every simulated node. */
    static final ConsensusConfig CONSENSUS = ConsensusConfig.DEFAULT.withGcDepth(20);
    /** {@link #CONSENSUS} with the run's reputation period. */
    private final ConsensusConfig consensus;
    /** Period of the simulated checkpoint job. */
    static final long CHECKPOINT_INTERVAL_MS = 700;
    /** Validator settings of every simulated node (the idle header interval is the run's). */
    static final ValidatorConfig VALIDATOR = new ValidatorConfig(500, 400, 16, 1_000, 256);
    /**
     * After stabilisation every batch is committed within this many simulated ms of reaching its
     * validator: twenty round timeouts, far above what a live committee needs (under 2 s over the
     * default sweeps, with idle phases too), far below a batch left behind.
     */
    static final long BATCH_LATENCY_BOUND_MS = 10_000;

    private sealed interface Scheduled {}

    private record Deliver(int node, int incarnation, Event event) implements Scheduled {}

    private record Crash(int node, boolean wipe, boolean departs) implements Scheduled {}

    private record Restart(int node, boolean wipe) implements Scheduled {}

    /** A restarted validator without records asks its peers how far the committee certified. */
    private record SafeRoundProbe(int node, int incarnation) implements Scheduled {}

    private record Batch(int node) implements Scheduled {}

    /** The checkpoint job: snapshot every up node's consensus state. */
    private record Checkpoint() implements Scheduled {}

    private record Item(long time, long seq, Scheduled what) {}

    /** A batch handed to an honest validator: when, and whether it was the first after an idle phase. */
    private record Submitted(long at, int node, boolean afterIdle) {}

    private final SimSettings cfg;
    /** {@link #VALIDATOR} with the run's idle header interval. */
    private final ValidatorConfig validatorConfig;
    private final Random random;
    private final PriorityQueue<Item> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long seq;
    private long now;
    private final Committee committee;
    private final KeyPair[] keys;
    private final SimNode[] nodes;
    private final CachingVerifier verifier = new CachingVerifier();
    /** Every certificate any node persisted: the checker's view of parents. */
    private final Map<Digest, Certificate> certificates = new HashMap<>();
    private final long gst;
    private long stabilisation;
    private final List<String> trace = new ArrayList<>();
    private long batchCounter;
    /** Every vote an honest validator sent, by (voter, author, round): two digests for one slot is equivocation. */
    private final Map<List<Long>, Digest> honestVotes = new HashMap<>();
    private final List<String> voteViolations = new ArrayList<>();
    private long messages;
    private long steps;
    /** Every batch handed to an honest validator, in submission order. */
    private final Map<Digest, Submitted> submitted = new java.util.LinkedHashMap<>();
    /** When the first honest validator published each batch. */
    private final Map<Digest, Long> committedAt = new HashMap<>();
    /** Certificates some honest validator has published (each counted once, at the first). */
    private final java.util.Set<Digest> latencyCounted = new java.util.HashSet<>();
    /** For certificates proposed after stabilisation: from the header's timestamp to the first honest publication. */
    private final List<Long> proposalLatencies = new ArrayList<>();
    private final List<Long> anchorLatencies = new ArrayList<>();

    private Simulator(SimSettings cfg) {
        this.cfg = cfg;
        this.validatorConfig = VALIDATOR.withIdleHeaderInterval(cfg.idleIntervalMs());
        this.consensus = CONSENSUS.withReputationUpdatePeriod(cfg.reputationPeriod());
        this.random = new Random(cfg.seed());
        Random keyRandom = new Random(cfg.seed() * 0x9E3779B97F4A7C15L + 1);
        int n = cfg.validators();
        List<Validator> members = new ArrayList<>();
        KeyPair[] generated = new KeyPair[n];
        for (int i = 0; i < n; i++) {
            generated[i] = KeyPair.deterministic(keyRandom);
            members.add(new Validator("v" + i, generated[i].publicKey(), 1, ""));
        }
        this.committee = new Committee(0, members);
        for (Certificate g : committee.genesis()) certificates.put(g.digest(), g);
        this.keys = new KeyPair[n];
        for (KeyPair k : generated) keys[committee.indexOf(k.publicKey()).getAsInt()] = k;

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        java.util.Collections.shuffle(order, random);
        List<Integer> byzantine = order.subList(0, cfg.byzantine());
        Map<Integer, KeyPair> colluders = new HashMap<>();
        for (int b : byzantine) colluders.put(b, keys[b]);

        this.nodes = new SimNode[n];
        for (int i = 0; i < n; i++) {
            ByzantineBehaviour bz = byzantine.contains(i)
                    ? new ByzantineBehaviour(i, committee, colluders, new Random(random.nextLong())) : null;
            // An honest validator on an empty database cannot tell a first start from a lost one (rule 8).
            ValidatorStateMachine machine = cfg.startWithoutRecords() && bz == null
                    ? ValidatorStateMachine.createWithoutRecords(committee, i, keys[i], consensus, validatorConfig, verifier)
                    : ValidatorStateMachine.create(committee, i, keys[i], consensus, validatorConfig, verifier);
            nodes[i] = new SimNode(i, bz, machine);
        }
        this.gst = 500 + random.nextInt(cfg.maxGstMs());
        this.stabilisation = gst;
        List<Integer> honest = order.subList(cfg.byzantine(), n);
        for (int a : honest.subList(0, cfg.absent())) {
            nodes[a].absent = true;
            nodes[a].up = false;
        }
        for (int k = 0; k < cfg.crashes(); k++) {
            int victim = honest.get(random.nextInt(honest.size()));
            long at = 50 + (long) random.nextInt((int) gst);
            schedule(at, new Crash(victim, k < cfg.wipes(), k >= cfg.crashes() - cfg.departures()));
        }
        for (int i = 0; i < n; i++) {
            if (nodes[i].honest() && !nodes[i].absent) schedule(random.nextInt(100), new Batch(i));
        }
        schedule(CHECKPOINT_INTERVAL_MS, new Checkpoint());
        if (cfg.startWithoutRecords()) {
            // The probes are answered at different times, some after the committee certified a few
            // rounds: those validators abstain through the round after the answer.
            for (SimNode node : nodes) {
                if (node.honest() && !node.absent) schedule(random.nextInt((int) (4 * cfg.maxDelayMs()) + 1), new SafeRoundProbe(node.index, 0));
            }
        }
    }

    /** Runs one seed and checks it. Never throws for a protocol failure: it is reported as a violation. */
    public static SimResult run(SimSettings cfg) {
        return new Simulator(cfg).execute();
    }

    private SimResult execute() {
        List<String> violations = new ArrayList<>();
        try {
            for (SimNode node : nodes) if (!node.absent) deliver(node, new Event.Start(0));
            long deadline = deadline();
            while (!queue.isEmpty()) {
                Item item = queue.poll();
                if (item.time > deadline) break;
                now = item.time;
                if (item.what instanceof Deliver d) {
                    SimNode node = nodes[d.node()];
                    if (!node.up) continue;
                    if (d.incarnation() >= 0 && d.incarnation() != node.incarnation) continue;
                    deliver(node, d.event());
                } else if (item.what instanceof Crash c) {
                    if (c.departs() && othersStillAbstain(c.node())) schedule(now + cfg.maxDelayMs(), c);
                    else crash(nodes[c.node()], c.wipe(), c.departs());
                } else if (item.what instanceof Restart r) {
                    if (r.wipe()) restartWiped(nodes[r.node()]);
                    else restart(nodes[r.node()]);
                } else if (item.what instanceof SafeRoundProbe p) {
                    probeSafeRound(nodes[p.node()], p.incarnation());
                } else if (item.what instanceof Batch b) {
                    batch(nodes[b.node()]);
                } else if (item.what instanceof Checkpoint) {
                    checkpoint();
                }
                deadline = deadline();
                if (allReached()) break;
            }
        } catch (RuntimeException e) {
            violations.add("exception at t=" + now + ": " + e);
        }
        violations.addAll(voteViolations);
        CommitChecker checker = new CommitChecker(consensus.gcDepth(), author -> nodes[author].honest());
        List<SimNode> honest = new ArrayList<>();
        for (SimNode n : nodes) if (n.honest() && !n.absent) honest.add(n);
        for (SimNode n : honest) violations.addAll(checker.checkNode(n.index, n.published, certificates));
        for (int i = 0; i < honest.size(); i++) {
            for (int j = i + 1; j < honest.size(); j++) {
                violations.addAll(checker.checkAgreement(honest.get(i).index, honest.get(i).published,
                        honest.get(j).index, honest.get(j).published));
            }
        }
        List<Long> latencies = new ArrayList<>();
        List<Long> afterIdle = new ArrayList<>();
        violations.addAll(checkBatchLatency(latencies, afterIdle));
        SimNode longest = null;
        for (SimNode n : honest) if (longest == null || n.published.size() > longest.published.size()) longest = n;
        List<Long> anchors = new ArrayList<>();
        List<Long> skips = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            anchors.add(0L);
            skips.add(0L);
        }
        if (longest != null) {
            for (CommittedSubDag c : longest.published) {
                anchors.set(c.anchor().author(), anchors.get(c.anchor().author()) + 1);
                for (CommittedSubDag.SkippedAnchor s : c.skippedAnchors()) skips.set(s.leader(), skips.get(s.leader()) + 1);
            }
        }
        long least = Long.MAX_VALUE;
        for (SimNode n : honest) {
            least = Math.min(least, n.published.size());
            if (n.committedAnchorRound < cfg.rounds()) {
                violations.add("liveness: node " + n.index + " reached anchor round " + n.committedAnchorRound + " < "
                        + cfg.rounds() + " by t=" + now + " (stabilisation at " + stabilisation + ", " + n.machine.stats() + ")");
            }
        }
        return new SimResult(cfg.seed(), violations, summary(), least == Long.MAX_VALUE ? 0 : least, now, latencies,
                afterIdle, anchors, skips, proposalLatencies, anchorLatencies);
    }

    /**
     * Every batch an honest validator received after stabilisation is published by an honest
     * validator within {@link #BATCH_LATENCY_BOUND_MS} (those submitted less than that before the
     * end are not judged unless published, nor those of a validator that departed before they
     * were); fills in the latencies.
     */
    private List<String> checkBatchLatency(List<Long> latencies, List<Long> afterIdle) {
        List<String> late = new ArrayList<>();
        for (Map.Entry<Digest, Submitted> e : submitted.entrySet()) {
            Submitted s = e.getValue();
            if (s.at() < stabilisation) continue;
            Long at = committedAt.get(e.getKey());
            // A batch its validator took with it when it left for good was never proposed: nobody else
            // can order it (the service acknowledges a transaction once its batch is durable there).
            if (at == null && nodes[s.node()].absent) continue;
            long latency = at == null ? now - s.at() : at - s.at();
            if (at != null) {
                latencies.add(latency);
                if (s.afterIdle()) afterIdle.add(latency);
            }
            if (latency > BATCH_LATENCY_BOUND_MS && late.isEmpty()) {
                late.add("batch liveness: a batch given to v" + s.node() + " at t=" + s.at()
                        + (s.afterIdle() ? " (first after an idle phase)" : "")
                        + (at == null ? " was not committed by t=" + now : " was committed only at t=" + at)
                        + ", bound " + BATCH_LATENCY_BOUND_MS + " ms");
            }
        }
        return late;
    }

    /** Generous: stabilisation plus two round timeouts per round, plus slack. */
    private long deadline() {
        return stabilisation + 2L * cfg.rounds() * VALIDATOR.roundTimeoutMs() + 10_000;
    }

    private boolean allReached() {
        for (SimNode n : nodes) {
            if (n.honest() && !n.absent && (n.committedAnchorRound < cfg.rounds() || !n.up)) return false;
        }
        return true;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("gst=").append(gst).append(" stable=").append(stabilisation).append(" end=").append(now);
        sb.append(" steps=").append(steps).append(" msgs=").append(messages);
        long votes = 0;
        long certs = 0;
        for (SimNode n : nodes) {
            votes += n.machine.stats().votesSent();
            certs += n.machine.stats().certificatesFormed();
        }
        sb.append(" votes=").append(votes).append(" formed=").append(certs)
                .append(" verify=").append(verifier.misses()).append("/").append(verifier.misses() + verifier.hits());
        for (SimNode n : nodes) {
            sb.append(" | v").append(n.index);
            if (!n.honest()) sb.append(" byz[").append(n.byzantine.describe()).append(']');
            long skipped = 0;
            for (CommittedSubDag c : n.published) skipped += c.skippedBatches().size();
            sb.append(" r").append(n.machine.round()).append(" c").append(n.published.size())
                    .append(" skipped=").append(skipped)
                    .append(" a").append(n.committedAnchorRound);
            if (n.restarts > 0) sb.append(" restarts=").append(n.restarts).append(" (checkpoint ").append(n.checkpointRestores).append(')');
            if (n.wipes > 0) sb.append(" wipes=").append(n.wipes).append(" abstained=").append(n.machine.stats().abstentions());
            if (n.honest() && !n.machine.stats().rejected().isEmpty()) sb.append(" rejected").append(n.machine.stats().rejected());
        }
        if (!trace.isEmpty()) sb.append(" | ").append(String.join("; ", trace));
        return sb.toString();
    }

    // ---- node lifecycle ------------------------------------------------------------------------

    private void crash(SimNode node, boolean wipe, boolean departs) {
        if (!node.up) return;
        node.up = false;
        node.incarnation++;
        if (departs) {
            // Gone for good: no longer held to the liveness target, and the others must go on without it.
            node.absent = true;
            trace.add("departure v" + node.index + "@" + now);
            return;
        }
        long downtime = 100 + random.nextInt(cfg.maxDowntimeMs());
        trace.add((wipe ? "wipe v" : "crash v") + node.index + "@" + now + "+" + downtime);
        schedule(now + downtime, new Restart(node.index, wipe));
    }

    /**
     * True while another honest validator that is up still abstains (rule 8) in a round the
     * committee has not certified yet. Until the committee certifies past it, that validator counts
     * against f: a departure then stalls the committee for good, the documented cost of rule 8
     * (docs/safety.md), so departures wait for it to end.
     */
    private boolean othersStillAbstain(int leaving) {
        long certified = 0;
        for (SimNode n : nodes) if (n.up && n.honest()) certified = Math.max(certified, n.machine.dag().highestRound());
        for (SimNode n : nodes) {
            if (n.index != leaving && n.up && n.honest() && n.machine.abstainsIn(certified)) return true;
        }
        return false;
    }

    /**
     * Restarts a validator whose database was emptied: the same key, no records. It syncs the DAG
     * again and publishes the commit sequence again from index 1 (a new sequence for the checks),
     * and abstains from voting and proposing until its safe-round probe is answered. Byzantine
     * validators greet it with twins of their recent headers, the headers it may have voted for.
     */
    private void restartWiped(SimNode node) {
        node.persisted.clear();
        node.published.clear();
        node.committedAnchorRound = -1;
        node.checkpoint = null;
        node.machine = ValidatorStateMachine.createWithoutRecords(committee, node.index, keys[node.index], consensus,
                validatorConfig, verifier);
        node.up = true;
        node.restarts++;
        node.wipes++;
        node.lastTickMs = -1;
        stabilisation = Math.max(stabilisation, now);
        deliver(node, new Event.Start(now));
        for (SimNode b : nodes) {
            if (b.up && !b.honest()) {
                for (Delivery d : b.byzantine.greetWiped(node.index)) send(b.index, d.to(), d.message());
            }
        }
        schedule(now + 2 * cfg.maxDelayMs(), new SafeRoundProbe(node.index, node.incarnation));
    }

    /**
     * The probe's answer once the probing node and the peers that are up hold 2f+1 stake: the
     * highest round any of them holds a certificate of (a certificate proves its round, so a
     * Byzantine peer cannot claim more than exists). Asked again later while too few are up.
     */
    private void probeSafeRound(SimNode node, int incarnation) {
        if (!node.up || node.incarnation != incarnation) return;
        List<Integer> up = new ArrayList<>();
        for (SimNode p : nodes) if (p.up) up.add(p.index); // the probing node counts (SafeRoundProbe)
        if (committee.stakeOf(up) < committee.quorumThreshold()) {
            schedule(now + cfg.maxDelayMs(), new SafeRoundProbe(node.index, incarnation));
            return;
        }
        long highest = 0;
        for (int p : up) if (p != node.index) highest = Math.max(highest, nodes[p].machine.dag().highestRound());
        trace.add("v" + node.index + " safe round " + highest + "@" + now);
        deliver(node, new Event.SafeRoundLearned(highest));
    }

    /**
     * Restarts from exactly what the node's recovery would load from its store: FROM_SCRATCH, or
     * (half of the time, when there is one) FROM_CHECKPOINT on its latest checkpoint.
     */
    private void restart(SimNode node) {
        if (node.checkpoint != null && random.nextBoolean()) {
            ConsensusState cp = node.checkpoint;
            long gcRound = Math.max(0, cp.lastAnchorRound() - consensus.gcDepth());
            node.machine = ValidatorStateMachine.restore(committee, node.index, keys[node.index], consensus,
                    validatorConfig, verifier, cp, loaded(node, gcRound, gcRound, cp.lastCommitIndex()));
            node.checkpointRestores++;
        } else {
            long lastAnchorRound = 0;
            for (PersistRecord r : node.persisted) {
                if (r instanceof PersistRecord.CommittedSubDagRecord cr) lastAnchorRound = Math.max(lastAnchorRound, cr.subDag().anchorRound());
            }
            long safetyFrom = Math.max(0, lastAnchorRound - consensus.gcDepth());
            node.machine = ValidatorStateMachine.restore(committee, node.index, keys[node.index], consensus,
                    validatorConfig, verifier, loaded(node, safetyFrom, 0, 0));
        }
        node.up = true;
        node.restarts++;
        node.lastTickMs = -1;
        stabilisation = Math.max(stabilisation, now);
        deliver(node, new Event.Start(now));
    }

    /**
     * The records as the node's recovery reads them back: own headers and vote records from
     * {@code safetyFrom}, then certificates from {@code certificatesFrom} in (round, author) order,
     * then the commit log after {@code commitsAfter} (ReplayFeed's order).
     */
    private static List<PersistRecord> loaded(SimNode node, long safetyFrom, long certificatesFrom, long commitsAfter) {
        List<PersistRecord> safety = new ArrayList<>();
        List<dev.shoal.sequencer.core.types.Certificate> certs = new ArrayList<>();
        List<PersistRecord> commits = new ArrayList<>();
        for (PersistRecord r : node.persisted) {
            if (r instanceof PersistRecord.OwnHeaderRecord oh) {
                if (oh.header().round() >= safetyFrom) safety.add(r);
            } else if (r instanceof PersistRecord.VoteRecord v) {
                if (v.round() >= safetyFrom) safety.add(r);
            } else if (r instanceof PersistRecord.CertificateRecord c) {
                if (c.certificate().round() >= certificatesFrom) certs.add(c.certificate());
            } else if (r instanceof PersistRecord.CommittedSubDagRecord cr) {
                if (cr.subDag().index() > commitsAfter) commits.add(r);
            }
        }
        certs.sort(java.util.Comparator.comparingLong(dev.shoal.sequencer.core.types.Certificate::round)
                .thenComparingInt(dev.shoal.sequencer.core.types.Certificate::author));
        List<PersistRecord> out = new ArrayList<>(safety);
        for (var c : certs) out.add(new PersistRecord.CertificateRecord(c));
        out.addAll(commits);
        return out;
    }

    private void checkpoint() {
        // A checkpoint job runs against durable state only: in the simulation every step's output
        // is persisted before the next event, so the in-memory consensus state is durable.
        for (SimNode n : nodes) if (n.up && n.honest()) n.checkpoint = n.machine.consensus().state();
        schedule(now + CHECKPOINT_INTERVAL_MS, new Checkpoint());
    }

    private void batch(SimNode node) {
        if (cfg.idlePhaseAt(now)) {
            node.afterIdle = true;
            schedule(cfg.nextBusyPhase(now) + random.nextInt(100), new Batch(node.index));
            return;
        }
        if (node.up) {
            byte[] b = new byte[32];
            long id = ++batchCounter;
            for (int i = 0; i < 8; i++) b[i] = (byte) (id >>> (8 * i));
            b[8] = (byte) node.index;
            Digest d = Digest.of(b);
            submitted.put(d, new Submitted(now, node.index, node.afterIdle));
            node.afterIdle = false;
            deliver(node, new Event.BatchReady(List.of(d)));
        }
        schedule(now + 50 + random.nextInt(200), new Batch(node.index));
    }

    /**
     * Commit latency as the DAG papers count it: from a certificate's proposal (its header's
     * timestamp, the proposer's simulated clock) to the first honest validator committing it.
     */
    private void recordProposalLatency(CommittedSubDag s) {
        for (Certificate c : s.certificates()) {
            long proposed = c.header().timestampMs();
            if (proposed < stabilisation || !latencyCounted.add(c.digest())) continue;
            proposalLatencies.add(now - proposed);
            if (c.digest().equals(s.anchor().digest())) anchorLatencies.add(now - proposed);
        }
    }

    // ---- stepping ------------------------------------------------------------------------------

    private void deliver(SimNode node, Event event) {
        if (now > node.lastTickMs) {
            node.lastTickMs = now;
            if (!(event instanceof Event.Start)) apply(node, node.machine.step(new Event.Tick(now)));
        }
        if (node.byzantine != null && event instanceof Event.HeaderReceived h) node.byzantine.observeHeader(h.header());
        if (node.byzantine != null && event instanceof Event.VoteReceived v) {
            List<Delivery> extra = new ArrayList<>();
            if (node.byzantine.interceptVote(v.vote(), extra)) {
                for (Delivery d : extra) send(node.index, d.to(), d.message());
                return;
            }
        }
        steps++;
        apply(node, node.machine.step(event));
    }

    /** The driver: persist first, then publish and send, then set timers. */
    private void apply(SimNode node, Output out) {
        if (out.isEmpty()) return;
        if (node.honest()) checkVotes(node, out);
        for (PersistRecord r : out.toPersist()) {
            node.persisted.add(r);
            if (r instanceof PersistRecord.CertificateRecord c) certificates.putIfAbsent(c.certificate().digest(), c.certificate());
        }
        for (CommittedSubDag s : out.committed()) {
            if (node.honest()) {
                for (Digest d : s.batches()) committedAt.putIfAbsent(d, now);
                recordProposalLatency(s);
            }
            node.published.add(s);
            node.committedAnchorRound = Math.max(node.committedAnchorRound, s.anchor().round());
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Outbound o : out.toSend()) {
            if (o.destination() instanceof Destination.To t) {
                deliveries.add(new Delivery(t.validator(), o.message()));
            } else {
                for (int p = 0; p < nodes.length; p++) if (p != node.index) deliveries.add(new Delivery(p, o.message()));
            }
        }
        if (node.byzantine != null) deliveries = node.byzantine.transform(deliveries);
        for (Delivery d : deliveries) send(node.index, d.to(), d.message());
        for (TimerRequest t : out.timers()) {
            schedule(now + t.delayMs(), new Deliver(node.index, node.incarnation, new Event.TimerFired(t.kind(), t.round())));
        }
    }

    /** An honest validator never votes for two different headers of one author and round, whatever it lost. */
    private void checkVotes(SimNode node, Output out) {
        for (Outbound o : out.toSend()) {
            if (!(o.message() instanceof Message.VoteMessage vm)) continue;
            var v = vm.vote();
            Digest before = honestVotes.putIfAbsent(List.of((long) node.index, (long) v.headerAuthor(), v.round()), v.headerDigest());
            if (before != null && !before.equals(v.headerDigest()) && voteViolations.isEmpty()) {
                voteViolations.add("equivocation: honest validator " + node.index + " voted for two headers of author "
                        + v.headerAuthor() + " in round " + v.round() + " (at t=" + now + ")");
            }
        }
    }

    private void send(int from, int to, Message m) {
        if (to == from || to < 0 || to >= nodes.length) return;
        messages++;
        long t = now;
        boolean stable = now >= gst;
        while (!stable && random.nextInt(100) < cfg.dropPercent()) {
            t += cfg.retransmitMs(); // lost; the link retransmits
            stable = t >= gst;
        }
        long max = stable ? cfg.stableMaxDelayMs() : cfg.maxDelayMs();
        t += cfg.minDelayMs() + (max > cfg.minDelayMs() ? random.nextInt((int) (max - cfg.minDelayMs() + 1)) : 0);
        schedule(t, new Deliver(to, -1, Event.received(m, from)));
    }

    private void schedule(long at, Scheduled what) {
        queue.add(new Item(at, seq++, what));
    }
}
