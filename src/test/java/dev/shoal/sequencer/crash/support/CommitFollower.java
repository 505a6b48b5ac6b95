package dev.shoal.sequencer.crash.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reader that follows the commit log of a running service (GET /api/v1/commits from the next
 * unseen index, over and over) and reports every commit to a {@link CommitLogWitness}: what it
 * saw before a crash must look the same afterwards. Stops when told or when the service is gone.
 */
public final class CommitFollower implements AutoCloseable {
    private final ServiceClient client;
    private final CommitLogWitness witness;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();

    public CommitFollower(ServiceClient client, CommitLogWitness witness) {
        this.client = client;
        this.witness = witness;
        this.thread = new Thread(this::run, "commit-follower");
        thread.setDaemon(true);
    }

    public CommitFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        long next = witness.highestSeen() + 1;
        while (!stop.get()) {
            try {
                List<JsonNode> page = client.commits(next, 1000);
                for (JsonNode c : page) {
                    long index = c.get("index").asLong();
                    if (index != next) {
                        problems.add("GET /commits?from=" + next + " returned index " + index + " first (gap)");
                        break;
                    }
                    next++;
                }
                problems.addAll(witness.saw(page));
                if (page.isEmpty()) Thread.sleep(20); // pacing: nothing new yet
            } catch (ServiceClient.UnexpectedStatus e) {
                errors.incrementAndGet(); // answered but could not read (database unreachable): try again
                if (!pause()) return;
            } catch (IOException e) {
                return; // the service is gone (killed): what was seen so far is what counts
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(100); // pacing of retries, not a wait for an outcome
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Reads that got an error answer (the service could not read its database). */
    public int errors() {
        return errors.get();
    }

    /** Gaps or changed commits seen while following. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
