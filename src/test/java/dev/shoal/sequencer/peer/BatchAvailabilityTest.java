package dev.shoal.sequencer.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.storage.StoreFixtures;
import dev.shoal.sequencer.storage.memory.InMemoryStore;
import dev.shoal.sequencer.storage.pipeline.GroupCommitPipeline;
import dev.shoal.sequencer.storage.pipeline.PipelineListener;
import dev.shoal.sequencer.storage.pipeline.PipelineSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The push quota: what frees it, and what does not. */
class BatchAvailabilityTest {
    private final StoreFixtures fx = new StoreFixtures(11);
    private final InMemoryStore store = new InMemoryStore();
    private final GroupCommitPipeline pipeline = new GroupCommitPipeline(store, new PipelineSettings(100, Duration.ofMillis(1),
            10_000, Duration.ofMillis(1), Duration.ofMillis(5)), PipelineListener.NONE);
    private final BatchAvailability batches = new BatchAvailability(fx.committee, store, pipeline, (peer, digests) -> { },
            SyncSettings.defaults(), System::currentTimeMillis, new SyncMetrics(new SimpleMeterRegistry()));

    @BeforeAll
    static void initialiseContextPropagation() {
        org.eclipse.microprofile.context.spi.ContextManagerProvider.instance();
    }

    @AfterEach
    void close() {
        batches.close();
        pipeline.close();
    }

    private long pushAndWait(Batch b) throws Exception {
        batches.pushed(b.author(), b);
        batches.ensure(List.of(b.digest()), List.of()).get(10, TimeUnit.SECONDS);
        return batches.unreferencedBytes(b.author());
    }

    @Test
    void aVerifiedCertificateFreesItsBatchesAForgedOneDoesNot() throws Exception {
        Batch pushed = StoreFixtures.batch(1, "a", "b");
        assertThat(pushAndWait(pushed)).isEqualTo(PushQuota.cost(pushed));

        Certificate real = fx.certificate(1, 3, fx.committee.genesis().stream().map(Certificate::digest).toList(),
                List.of(pushed.digest()));
        List<Signature> garbage = new ArrayList<>();
        for (int i = 0; i < 3; i++) garbage.add(fx.keys.get(3).sign(new byte[] {(byte) i}));
        Certificate forged = new Certificate(real.header(), SignerBitmap.of(List.of(0, 1, 2)), garbage);

        batches.certified(List.of(forged));
        assertThat(batches.unreferencedBytes(1)).as("a forged certificate frees nothing").isEqualTo(PushQuota.cost(pushed));
        batches.certified(List.of(real));
        assertThat(batches.unreferencedBytes(1)).isZero();
    }

    @Test
    void emptyBatchesCountAgainstTheQuota() throws Exception {
        Batch empty = new Batch(2, 0, List.of());
        assertThat(pushAndWait(empty)).isEqualTo(PushQuota.cost(empty)).isPositive();
    }
}
