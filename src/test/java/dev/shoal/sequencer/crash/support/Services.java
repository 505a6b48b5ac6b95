package dev.shoal.sequencer.crash.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Waiting for a child service, failing at once (with its log) if it dies meanwhile. */
public final class Services {
    /** Startup includes JVM start, Flyway and recovery on a shared 2-core machine: generous. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private Services() {}

    /** Waits until /q/health/ready is UP. */
    public static void awaitReady(ServiceProcess service, ServiceClient client) {
        await("service ready (" + service.logFile() + ")").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("the service exited while starting; last log lines:\n" + service.logTail(40));
                    }
                    return client.isReady();
                });
    }
}
