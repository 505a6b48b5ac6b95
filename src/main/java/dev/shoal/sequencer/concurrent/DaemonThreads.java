package dev.shoal.sequencer.concurrent;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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

    /**
     * An executor on one daemon thread of this name that holds at most {@code queued} waiting tasks
     * and discards what comes beyond: for work peers ask for, so a peer that asks too much only
     * delays itself and others asking for the same kind of work.
     */
    public static ExecutorService bounded(String name, int queued) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }
}
