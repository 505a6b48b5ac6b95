package dev.shoal.sequencer.crash.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client threads that POST unique transactions to one service until stopped (or until the
 * service stops answering), recording every outcome in a {@link TransactionLedger}. Payloads are
 * {@code <tag>/<sequence>} with a sequence that never repeats within a test, so every committed
 * transaction can be traced to the one request that sent it.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ServiceClient client;
    private final TransactionLedger ledger;
    private final String tag;
    private final Duration pause;
    private final Duration requestTimeout;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile List<ServiceClient> copiesTo = List.of();
    private volatile double copyProbability;

    /**
     * @param threads        concurrent clients
     * @param seed           the seed of the batch sizes (1..maxBatch transactions per request)
     * @param pause          between two requests of one client (zero: as fast as the service answers)
     * @param requestTimeout how long one request may take before it counts as in doubt
     */
    public LoadGenerator(ServiceClient client, TransactionLedger ledger, String tag, int threads, long seed, int maxBatch,
                         Duration pause, Duration requestTimeout) {
        this.client = client;
        this.ledger = ledger;
        this.tag = tag;
        this.pause = pause;
        this.requestTimeout = requestTimeout;
        for (int i = 0; i < threads; i++) {
            Random random = new Random(seed * 31 + i);
            Thread t = new Thread(() -> run(random, maxBatch), "load-" + tag + "-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    /**
     * Also sends a share of the requests, with the same payloads, to another validator at the same
     * time (a client retrying elsewhere, or two clients with one transaction): the committee must
     * order each such transaction once. Both answers are classified.
     */
    public LoadGenerator withCopiesTo(List<ServiceClient> others, double probability) {
        this.copiesTo = List.copyOf(others);
        this.copyProbability = probability;
        return this;
    }

    public LoadGenerator start() {
        threads.forEach(Thread::start);
        return this;
    }

    public long requests() {
        return requests.get();
    }

    private void run(Random random, int maxBatch) {
        while (!stop.get()) {
            int n = 1 + random.nextInt(maxBatch);
            List<byte[]> payloads = new ArrayList<>(n);
            List<String> digests = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] p = (tag + "/" + SEQUENCE.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
                String d = TransactionLedger.digestHex(p);
                payloads.add(p);
                digests.add(d);
                ledger.sent(d, p);
            }
            requests.incrementAndGet();
            Thread copy = null;
            if (!copiesTo.isEmpty() && random.nextDouble() < copyProbability) {
                ServiceClient other = copiesTo.get(random.nextInt(copiesTo.size()));
                copy = new Thread(() -> send(other, payloads, digests), "copy-" + tag);
                copy.setDaemon(true);
                copy.start();
            }
            ServiceClient.Reply reply;
            try {
                reply = client.submit(payloads, requestTimeout);
            } catch (IOException e) {
                // No answer: the process died or the request timed out. Whether it is durable is unknown.
                digests.forEach(ledger::inDoubt);
                if (e instanceof java.net.ConnectException) return; // nobody listens any more: this client is done
                continue;
            } catch (InterruptedException e) {
                digests.forEach(ledger::inDoubt);
                return;
            }
            classify(reply, digests);
            if (copy != null) {
                try {
                    copy.join(requestTimeout.toMillis() + 5_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis()); // pacing of the offered load, not a wait for a result
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void send(ServiceClient to, List<byte[]> payloads, List<String> digests) {
        try {
            classify(to.submit(payloads, requestTimeout), digests);
        } catch (IOException e) {
            digests.forEach(ledger::inDoubt);
        } catch (InterruptedException e) {
            digests.forEach(ledger::inDoubt);
            Thread.currentThread().interrupt();
        }
    }

    private void classify(ServiceClient.Reply reply, List<String> digests) {
        if (reply.status() == 202) {
            JsonNode body = reply.json();
            List<String> answered = new ArrayList<>();
            body.path("digests").forEach(d -> answered.add(d.asText()));
            if (body.path("accepted").asInt() != digests.size() || !answered.equals(digests)) {
                ledger.unexpected("202 with a body that does not match the request: " + reply.body());
                digests.forEach(ledger::inDoubt);
                return;
            }
            digests.forEach(ledger::acknowledged);
        } else if (reply.status() == 503 && reply.contentType().startsWith("application/problem+json")) {
            digests.forEach(ledger::refused);
        } else {
            ledger.unexpected(reply.status() + " " + reply.contentType() + " " + reply.body());
            digests.forEach(ledger::inDoubt);
        }
    }

    /** Stops the clients and waits for their last request to finish. */
    @Override
    public void close() {
        stop.set(true);
        for (Thread t : threads) {
            try {
                t.join(requestTimeout.toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
