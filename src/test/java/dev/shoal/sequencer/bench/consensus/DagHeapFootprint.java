package dev.shoal.sequencer.bench.consensus;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;

/**
 * Heap used by 100,000 certificates held in a {@link Dag} (n = 10, 10,000 rounds, no GC), measured as
 * the difference in used heap after full collections. Prints the certificates' own share (the
 * pre-generated array alone) and the DAG's index overhead on top.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.shoal.sequencer.bench.consensus.DagHeapFootprint</pre>
 */
public final class DagHeapFootprint {
    public static void main(String[] args) {
        long base = usedAfterGc();
        History history = History.generate(10, 10_000, 7);
        long withCertificates = usedAfterGc();
        Dag dag = new Dag(history.committee, Long.MAX_VALUE / 4);
        for (Certificate c : history.certificates) {
            if (!dag.insert(c).isInserted()) throw new IllegalStateException("not inserted: " + c);
        }
        long withDag = usedAfterGc();
        int count = history.certificates.length;
        System.out.printf("certificates held: %,d (DAG size %,d incl. genesis)%n", count, dag.size());
        System.out.printf("certificates alone: %,d bytes (%,d per certificate)%n", withCertificates - base,
                (withCertificates - base) / count);
        System.out.printf("DAG index on top:   %,d bytes (%,d per certificate)%n", withDag - withCertificates,
                (withDag - withCertificates) / count);
        System.out.printf("total per 100,000 certificates held in the DAG: %.1f MiB%n",
                (withDag - base) * 100_000.0 / count / (1 << 20));
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private DagHeapFootprint() {}
}
