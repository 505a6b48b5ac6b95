package dev.shoal.sequencer.recovery;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.validator.PersistRecord;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The records a FROM_SCRATCH restore replays, produced while the replay consumes them: the safety
 * records, then every stored certificate as its page arrives (the store reads and decodes the
 * next page meanwhile), then the stored commits, rebuilt from those certificates once the last
 * one has passed. So reading the database and replaying the consensus overlap instead of taking
 * turns. Iterable once, on one thread.
 *
 * <p>A failure to read a page surfaces as {@link ReadFailure}, so the caller can tell it apart
 * from the replay's own verdict on the records.
 */
final class ReplayFeed implements Iterable<PersistRecord> {
    private static final Logger LOG = Logger.getLogger(ReplayFeed.class);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /** Reading stored certificates failed; the cause is the store's exception. */
    static final class ReadFailure extends RuntimeException {
        ReadFailure(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final List<PersistRecord> leading;
    private final Iterator<List<Certificate>> pages;
    private final Function<Map<Digest, Certificate>, List<PersistRecord>> trailing;
    private final long expected;
    private final long started;
    private final Map<Digest, Certificate> byDigest;
    private long loaded;
    private long highestRound;
    private long waitedForPagesNanos;
    private long trailingNanos;
    private boolean iterated;

    /**
     * @param leading  records replayed before any certificate (own headers, votes)
     * @param pages    the stored certificates, page by page, in (round, author) order
     * @param trailing records replayed after the last certificate, given every certificate by digest
     * @param expected certificates the store holds (sizes the lookup, scales the progress log)
     * @param started  System.nanoTime() at the start of the recovery, for the progress rate
     */
    ReplayFeed(List<PersistRecord> leading, Iterator<List<Certificate>> pages,
               Function<Map<Digest, Certificate>, List<PersistRecord>> trailing, long expected, long started) {
        this.leading = leading;
        this.pages = pages;
        this.trailing = trailing;
        this.expected = expected;
        this.started = started;
        this.byDigest = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, expected + expected / 3 + 16));
    }

    long certificatesLoaded() {
        return loaded;
    }

    long highestRound() {
        return highestRound;
    }

    /** Time the replay spent waiting for certificate pages (the database or decoding was behind). */
    long waitedForPagesNanos() {
        return waitedForPagesNanos;
    }

    /** Time spent producing the trailing records (waiting for and rebuilding the stored commits). */
    long trailingNanos() {
        return trailingNanos;
    }

    @Override
    public Iterator<PersistRecord> iterator() {
        if (iterated) throw new IllegalStateException("a replay feed is read once");
        iterated = true;
        return new Iterator<>() {
            private Iterator<PersistRecord> before = leading.iterator();
            private Iterator<Certificate> page = Collections.emptyIterator();
            private Iterator<PersistRecord> after;
            private long lastLog = System.nanoTime();

            @Override
            public boolean hasNext() {
                if (before.hasNext()) return true;
                if (after != null) return after.hasNext();
                while (!page.hasNext()) {
                    if (!nextPage()) {
                        long t0 = System.nanoTime();
                        after = trailing.apply(Collections.unmodifiableMap(byDigest)).iterator();
                        trailingNanos = System.nanoTime() - t0;
                        return after.hasNext();
                    }
                }
                return true;
            }

            private boolean nextPage() {
                long t0 = System.nanoTime();
                try {
                    if (!pages.hasNext()) return false;
                    page = pages.next().iterator();
                } catch (RuntimeException e) {
                    throw new ReadFailure(e);
                } finally {
                    waitedForPagesNanos += System.nanoTime() - t0;
                }
                long now = System.nanoTime();
                if (now - lastLog > PROGRESS_EVERY_NANOS) {
                    double secs = (now - started) / 1e9;
                    LOG.infof("Recovery: loaded %d of %d certificates (%.0f%%, %.0f/s)", loaded, expected,
                            expected == 0 ? 100.0 : 100.0 * loaded / expected, loaded / secs);
                    lastLog = now;
                }
                return true;
            }

            @Override
            public PersistRecord next() {
                if (!hasNext()) throw new NoSuchElementException();
                if (before.hasNext()) return before.next();
                if (after != null) return after.next();
                Certificate c = page.next();
                byDigest.put(c.digest(), c);
                loaded++;
                if (c.round() > highestRound) highestRound = c.round();
                return new PersistRecord.CertificateRecord(c);
            }
        };
    }
}
