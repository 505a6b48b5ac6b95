package dev.shoal.sequencer.driver;

import dev.shoal.sequencer.storage.WriteGroupMapper;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.validator.Message;
import dev.shoal.sequencer.core.validator.Outbound;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.SafetyRecordConflictException;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroup;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The write-ahead rule at the driver: nothing leaves the node before its records are durable, and a record the database refuses as a conflict stops the node. */
class ValidatorDriverTest {
    private final StoreFixtures fx = new StoreFixtures(7);
    private final InMemoryStore store = new InMemoryStore();
    private final GroupCommitPipeline pipeline = new GroupCommitPipeline(store, new PipelineSettings(100, Duration.ofMillis(1),
            10_000, Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE);
    private final List<Outbound> sent = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Throwable> fatal = new CompletableFuture<>();
    private ValidatorDriver driver;

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    @AfterEach
    void close() {
        if (driver != null) driver.close();
        pipeline.close();
    }

    private void start() {
        ValidatorStateMachine core = ValidatorStateMachine.create(fx.committee, 0, fx.keys.get(0), ConsensusConfig.defaults(),
                ValidatorConfig.defaults(), Verifier.DIRECT);
        driver = new ValidatorDriver(core, pipeline, WriteGroupMapper.fresh(fx.committee.size()), sent::add, sub -> { },
                Clock.systemUTC(), DriverSettings.DEFAULT);
        driver.onFatal(fatal::complete);
        driver.start(0);
    }

    @Test
    void aFreshValidatorPersistsItsFirstHeaderAndThenSendsIt() throws Exception {
        start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sent.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(sent).first().satisfies(m -> assertThat(m.message()).isInstanceOf(Message.HeaderMessage.class));
        Header h = ((Message.HeaderMessage) sent.get(0).message()).header();
        assertThat(store.ownHeaders(0).await().atMost(Duration.ofSeconds(5))).containsExactly(h);
        assertThat(fatal).isNotDone();
    }

    @Test
    void aHeaderTheDatabaseRefusesAsAConflictNeverLeavesAndStopsTheNode() throws Exception {
        // The database already holds another header of ours for round 1 (say, an older process on this key).
        Header earlier = Header.of(fx.committee.epoch(), 1, 0, 1, List.of(),
                fx.committee.genesis().stream().map(Certificate::digest).toList());
        store.write(new WriteGroup().ownHeader(earlier)).await().atMost(Duration.ofSeconds(5));
        start();
        Throwable stopped = fatal.get(10, TimeUnit.SECONDS);
        assertThat(SafetyRecordConflictException.in(stopped)).as("%s", stopped).isTrue();
        Thread.sleep(200);
        assertThat(sent).as("nothing whose record was refused leaves the node").isEmpty();
        assertThat(store.ownHeaders(0).await().atMost(Duration.ofSeconds(5))).containsExactly(earlier);
    }

    @Test
    void aTransportThatThrowsStopsTheNodeInsteadOfSilencingIt() throws Exception {
        // Before: the chain of actions failed for good, nothing was sent again, and the node went on
        // taking events as if healthy. An action that throws leaves the node in an unknown state: stop.
        ValidatorStateMachine core = ValidatorStateMachine.create(fx.committee, 0, fx.keys.get(0), ConsensusConfig.defaults(),
                ValidatorConfig.defaults(), Verifier.DIRECT);
        driver = new ValidatorDriver(core, pipeline, WriteGroupMapper.fresh(fx.committee.size()), m -> {
            throw new IllegalStateException("transport broken");
        }, sub -> { }, Clock.systemUTC(), DriverSettings.DEFAULT);
        driver.onFatal(fatal::complete);
        driver.start(0);
        Throwable stopped = fatal.get(10, TimeUnit.SECONDS);
        assertThat(stopped).hasMessageContaining("transport broken");
        assertThat(driver.offer(new dev.shoal.sequencer.core.validator.Event.Tick(0))).as("a stopped loop takes no events").isFalse();
    }
}
