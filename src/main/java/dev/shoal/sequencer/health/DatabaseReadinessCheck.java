package dev.shoal.sequencer.health;

import dev.shoal.sequencer.config.SequencerConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the database answers {@code SELECT 1} on the reactive pool within the configured
 * timeout. Non-blocking: it never waits on the event loop.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements AsyncHealthCheck {
    static final String NAME = "database";

    private final Pool pool;
    private final Duration timeout;

    DatabaseReadinessCheck(Pool pool, SequencerConfig config) {
        this.pool = pool;
        this.timeout = config.health().databaseTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(timeout).fail()
                .map(rows -> HealthCheckResponse.named(NAME).up().build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("error", describe(e)).build());
    }

    private String describe(Throwable e) {
        if (e instanceof io.smallrye.mutiny.TimeoutException) return "no answer within " + timeout.toMillis() + " ms";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
