package dev.shoal.sequencer.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.consensus.ConsensusConfig;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.validator.Event;
import dev.shoal.sequencer.core.validator.ValidatorConfig;
import dev.shoal.sequencer.core.validator.ValidatorStateMachine;
import dev.shoal.sequencer.core.validator.Verifier;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.WriteGroupMapper;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The loop's inbound port: shut until its driver starts, then a pass-through; bound to one driver of the same capacity. */
class ConsensusInletTest {
    private static final DriverSettings SETTINGS = new DriverSettings(Duration.ofMillis(50), 8, Duration.ofMillis(1));

    private final StoreFixtures fx = new StoreFixtures(7);
    private final GroupCommitPipeline pipeline = new GroupCommitPipeline(new InMemoryStore(),
            new PipelineSettings(100, Duration.ofMillis(1), 10_000, Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE);
    private final List<ValidatorDriver> drivers = new ArrayList<>();
    private final Certificate certificate = fx.round(1, fx.committee.genesis()).get(1);

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    @AfterEach
    void close() {
        drivers.forEach(ValidatorDriver::close);
        pipeline.close();
    }

    private ValidatorDriver driver(DriverSettings settings, ConsensusInlet inlet) {
        ValidatorStateMachine core = ValidatorStateMachine.create(fx.committee, 0, fx.keys.get(0), ConsensusConfig.defaults(),
                ValidatorConfig.defaults(), Verifier.DIRECT);
        ValidatorDriver d = new ValidatorDriver(core, pipeline, WriteGroupMapper.fresh(fx.committee.size()), Transport.NONE,
                sub -> { }, Clock.systemUTC(), settings, inlet);
        drivers.add(d);
        return d;
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void refusesEventsAndReadsUntilTheDriverStarts() {
        ConsensusInlet inlet = new ConsensusInlet(SETTINGS.inboxCapacity());
        assertThat(inlet.offer(new Event.CertificateReceived(certificate, 1))).as("no driver yet").isFalse();
        ValidatorDriver driver = driver(SETTINGS, inlet);
        AtomicInteger left = new AtomicInteger();

        assertThat(inlet.isOpen()).isFalse();
        assertThat(inlet.offer(new Event.CertificateReceived(certificate, 1), left::incrementAndGet)).isFalse();
        assertThat(driver.inboxDepth()).as("nothing was queued for the loop").isZero();
        assertThat(inlet.inspect(ValidatorStateMachine::round))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(left).hasValue(0);
    }

    @Test
    void passesEventsAndReadsToTheLoopOnceItStarted() throws Exception {
        ConsensusInlet inlet = new ConsensusInlet(SETTINGS.inboxCapacity());
        ValidatorDriver driver = driver(SETTINGS, inlet);
        driver.start(0);
        AtomicInteger left = new AtomicInteger();

        assertThat(inlet.isOpen()).isTrue();
        assertThat(inlet.offer(new Event.CertificateReceived(certificate, 1), left::incrementAndGet)).isTrue();
        // Reads run on the loop after the events queued before them.
        boolean inDag = get(inlet.inspect(c -> c.dag().contains(certificate.digest())));
        assertThat(inDag).isTrue();
        assertThat(left).hasValue(1);
        assertThat(inlet.capacity()).isEqualTo(driver.inboxCapacity());

        driver.close();
        assertThat(inlet.offer(new Event.CertificateReceived(certificate, 1))).as("a closed driver takes nothing").isFalse();
    }

    @Test
    void aCapacityOtherThanTheInboxesIsRefused() {
        assertThatThrownBy(() -> driver(SETTINGS, new ConsensusInlet(SETTINGS.inboxCapacity() + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsensusInlet(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneInletFeedsOneDriver() throws Exception {
        ConsensusInlet inlet = new ConsensusInlet(SETTINGS.inboxCapacity());
        ValidatorDriver first = driver(SETTINGS, inlet);
        assertThatThrownBy(() -> driver(SETTINGS, inlet)).isInstanceOf(IllegalStateException.class);

        first.start(0);
        assertThat(inlet.offer(new Event.CertificateReceived(certificate, 1))).isTrue();
        boolean inDag = get(first.inspect(c -> c.dag().contains(certificate.digest())));
        assertThat(inDag).as("the first driver still gets the events").isTrue();
    }
}
