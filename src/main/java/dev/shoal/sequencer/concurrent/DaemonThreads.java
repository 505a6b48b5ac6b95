package dev.shoal.sequencer.concurrent;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The node's single-purpose threads (consensus loop, pipeline, worker, sync...): one named daemon
 * thread each, so a thread dump says who is who and none keeps the JVM alive after Quarkus stops.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** A scheduled executor running on one daemon thread of this name. */
    public static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
