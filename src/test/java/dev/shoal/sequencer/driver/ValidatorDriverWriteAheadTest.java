package dev.shoal.sequencer.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Destination;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver's write-ahead rule with a database the test holds: nothing is sent or published before
 * its records are durable, outputs act in order, a failing core stops the loop, and a full pipeline
 * pushes back to the inbox without losing work. (A write refused as a conflict: ValidatorDriverTest.)
 */
class ValidatorDriverWriteAheadTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * How long "nothing left the node" is held. Only the held write can unblock an action; any action
     * not waiting for it would be queued on the loop at once (see {@link #drainLoop}), so 200 ms on top
     * of the drained loop is ample even on a loaded 2-core machine.
     */
    private static final Duration QUIET = Duration.ofMillis(200);
    /** Timers far out: only the test's events make outputs (no resends or timeouts in between). */
    private static final ValidatorConfig QUIET_TIMERS = new ValidatorConfig(60_000, 60_000, 100, 1_000, 256);
    private static final PipelineSettings ROOMY = new PipelineSettings(100, Duration.ofMillis(1), 10_000,
            Duration.ofMillis(1), Duration.ofMillis(5));

    private final StoreFixtures fx = new StoreFixtures(7);
    private final HeldStore store = new HeldStore();
    private final List<Outbound> sent = new CopyOnWriteArrayList<>();
    private final List<CommittedSubDag> published = new CopyOnWriteArrayList<>();
    /** Sends and publishes whose records were not in the store at that moment. */
    private final List<String> early = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    private GroupCommitPipeline pipeline;
    private ValidatorDriver driver;

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    @AfterEach
    void close() {
        store.release();
        if (driver != null) driver.close();
        if (pipeline != null) pipeline.close();
    }

    private void start(PipelineSettings pipelineSettings, DriverSettings settings, Verifier verifier) {
        pipeline = new GroupCommitPipeline(store, pipelineSettings, PipelineListener.NONE);
        ValidatorStateMachine core = ValidatorStateMachine.create(fx.committee, 0, fx.keys.get(0), ConsensusConfig.defaults(),
                QUIET_TIMERS, verifier);
        driver = new ValidatorDriver(core, pipeline, WriteGroupMapper.fresh(fx.committee.size()), this::send, this::publish,
                Clock.systemUTC(), settings);
        driver.onFatal(fatal::complete);
        driver.start(0);
    }

    private void start() {
        start(ROOMY, DriverSettings.DEFAULT, Verifier.DIRECT);
    }

    /** The transport: checks, as the message leaves, that our header in it is durable. */
    private void send(Outbound m) {
        if (m.message() instanceof Message.HeaderMessage h
                && !store.delegate.ownHeaders(0).await().indefinitely().contains(h.header())) {
            early.add("sent header of round " + h.header().round() + " before it was durable");
        }
        sent.add(m);
    }

    /** The commit sink: checks, as the commit is published, that its record is durable. */
    private void publish(CommittedSubDag s) {
        if (store.delegate.lastCommitIndex().await().indefinitely() < s.index()) {
            early.add("published commit " + s.index() + " before it was durable");
        }
        published.add(s);
    }

    /** Returns once the loop ran everything queued before, and what that queued in turn. */
    private void drainLoop() throws Exception {
        for (int i = 0; i < 2; i++) driver.inspect(c -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void holds(String what, BooleanSupplier condition) {
        await(what).during(QUIET).atMost(QUIET.plus(WAIT)).until(condition::getAsBoolean);
    }

    private void awaitFirstWriteHeld() {
        await("the Start output's header reaches the (held) store").atMost(WAIT)
                .until(() -> !store.attempted.isEmpty() && !store.attempted.get(0).ownHeaders().isEmpty());
    }

    private static Certificate round1(StoreFixtures fx, int author) {
        return fx.round(1, fx.committee.genesis()).get(author);
    }

    @Test
    void nothingIsSentWhileTheHeadersWriteIsHeldAndTheHeaderGoesOutOnceItIsDurable() throws Exception {
        start();
        awaitFirstWriteHeld();
        Header header = store.attempted.get(0).ownHeaders().get(0);
        drainLoop();
        holds("nothing is sent while the write is held", sent::isEmpty);
        assertThat(store.delegate.ownHeaders(0).await().indefinitely()).isEmpty();

        store.release();
        await("the header goes out").atMost(WAIT).until(() -> !sent.isEmpty());
        assertThat(sent.get(0).message()).isEqualTo(new Message.HeaderMessage(header));
        assertThat(early).isEmpty();
        assertThat(fatal).isNotDone();
    }

    @Test
    void commitsArePublishedOnlyOnceTheirRecordsAreDurableInIndexOrder() throws Exception {
        start();
        awaitFirstWriteHeld();
        // Four full rounds of the committee's certificates, enough to commit anchors. One round-1 certificate
        // comes last: everything above waits for it, so its one step commits several sub-DAGs.
        List<Certificate> all = new ArrayList<>();
        List<Certificate> previous = fx.committee.genesis();
        for (long r = 1; r <= 4; r++) all.addAll(previous = fx.round(r, previous));
        Certificate keystone = all.remove(1);
        all.add(keystone);
        for (Certificate c : all) assertThat(driver.offer(new Event.CertificateReceived(c, c.author() == 0 ? 1 : c.author()))).isTrue();
        drainLoop();
        long committed = driver.inspect(ValidatorStateMachine::lastCommitIndex).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(committed).as("the core committed while the store was held").isGreaterThan(1);
        holds("nothing is published or sent while the writes are held",
                () -> published.isEmpty() && sent.isEmpty() && driver.publishedIndex() == 0);

        store.release();
        await("every commit is published").atMost(WAIT).until(() -> published.size() >= committed);
        List<Long> indexes = new ArrayList<>();
        for (long i = 1; i <= committed; i++) indexes.add(i);
        assertThat(published).extracting(CommittedSubDag::index).containsExactlyElementsOf(indexes);
        assertThat(driver.publishedIndex()).isEqualTo(committed);
        assertThat(early).isEmpty();
        assertThat(fatal).isNotDone();
    }

    @Test
    void anOutputWithNothingToPersistWaitsForTheActionsOfTheOutputsBeforeIt() throws Exception {
        start();
        awaitFirstWriteHeld();
        // A header whose parents we lack: the core asks its author for them and persists nothing.
        List<Digest> unknownParents = fx.round(1, fx.committee.genesis()).stream().map(Certificate::digest).toList();
        Header waiting = Header.of(fx.committee.epoch(), 2, 1, 5, List.of(), unknownParents);
        assertThat(driver.offer(new Event.HeaderReceived(waiting, 1))).isTrue();
        drainLoop();
        holds("the request does not overtake the held header", sent::isEmpty);

        store.release();
        await("the parent request goes out").atMost(WAIT).until(() -> indexOfRequest(unknownParents) >= 0);
        assertThat(sent.get(0).message()).isInstanceOf(Message.HeaderMessage.class);
        assertThat(indexOfRequest(unknownParents)).as("after the header").isPositive();
        assertThat(early).isEmpty();
    }

    @Test
    void aCoreThatThrowsStopsTheNodeAndTheLoopTakesNoFurtherEvent() throws Exception {
        RuntimeException broken = new IllegalStateException("verifier broken");
        AtomicInteger checks = new AtomicInteger();
        Verifier throwing = new Verifier() {
            @Override
            public boolean verifyVote(Vote vote, PublicKey voterKey) {
                return Verifier.DIRECT.verifyVote(vote, voterKey);
            }

            @Override
            public Optional<String> checkCertificate(Committee committee, Certificate certificate, Committee.SignatureCheck known) {
                checks.incrementAndGet();
                throw broken;
            }
        };
        store.release();
        start(ROOMY, DriverSettings.DEFAULT, throwing);
        Certificate first = round1(fx, 1);
        Certificate second = round1(fx, 2);
        driver.offer(new Event.CertificateReceived(first, 1));
        driver.offer(new Event.CertificateReceived(second, 2)); // queued or refused: either way never processed

        assertThat(fatal.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isSameAs(broken);
        drainLoop();
        assertThat(checks).as("the event queued behind the failing one never reached the core").hasValue(1);
        assertThat(driver.offer(new Event.CertificateReceived(round1(fx, 3), 3))).isFalse();
        assertThat(driver.inspect(c -> c.dag().contains(second.digest())).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void aFullPipelineMakesTheLoopWaitAndTheInboxRefuseAndNothingIsLostOnceItDrains() throws Exception {
        // The pipeline holds one record: the held header fills it. The inbox holds two events.
        PipelineSettings tiny = new PipelineSettings(1, Duration.ZERO, 1, Duration.ofMillis(1), Duration.ofMillis(5));
        start(tiny, new DriverSettings(Duration.ofMillis(50), 2, Duration.ofMillis(1)), Verifier.DIRECT);
        awaitFirstWriteHeld();
        List<Certificate> certs = fx.round(1, fx.committee.genesis());

        assertThat(driver.offer(new Event.CertificateReceived(certs.get(1), 1))).isTrue();
        await("the loop took the first certificate (and now waits on the full pipeline)").atMost(WAIT)
                .until(() -> driver.inboxDepth() == 0);
        assertThat(driver.offer(new Event.CertificateReceived(certs.get(2), 2))).isTrue();
        assertThat(driver.offer(new Event.CertificateReceived(certs.get(3), 3))).isTrue();
        assertThat(driver.offer(new Event.CertificateReceived(certs.get(0), 1))).as("the inbox is full").isFalse();
        holds("the loop keeps waiting: the inbox stays full and nothing is sent",
                () -> driver.inboxDepth() == 2 && sent.isEmpty() && pipeline.waitingRecords() == 1);

        store.release();
        assertThat(offerWithin(new Event.CertificateReceived(certs.get(0), 1))).as("the refused event, offered again").isTrue();
        await("every certificate becomes durable").atMost(WAIT).until(() -> certs.stream()
                .allMatch(c -> store.delegate.certificate(c.digest()).await().indefinitely().isPresent()));
        await("the header goes out").atMost(WAIT).until(() -> !sent.isEmpty());
        assertThat(early).isEmpty();
        assertThat(fatal).isNotDone();
    }

    private int indexOfRequest(List<Digest> parents) {
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i).destination().equals(Destination.to(1)) && sent.get(i).message() instanceof Message.CertificateRequest r
                    && r.digests().size() == parents.size() && r.digests().containsAll(parents)) {
                return i;
            }
        }
        return -1;
    }

    /** Offers until the loop takes the event (the caller's retry), up to the deadline. */
    private boolean offerWithin(Event e) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (driver.offer(e)) return true;
            Thread.sleep(2);
        }
        return false;
    }
}
