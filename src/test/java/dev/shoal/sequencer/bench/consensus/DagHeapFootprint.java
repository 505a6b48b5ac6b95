package dev.shoal.sequencer.bench.consensus;

import dev.shoal.sequencer.core.dag.Dag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Heap used by 100,000 certificates held in a {@link Dag} (n = 10, 10,000 rounds, no GC), measured as
 * the difference in used heap after full collections. Prints the certificates' own share and the
 * DAG's index overhead on top. With {@code --with-signatures} every certificate carries a quorum
 * (7 of 10) of 64-byte signatures and its signer bitmap, as real certificates do (the bytes are
 * random: the DAG never verifies them, so only their size matters here).
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/bench-classpath.txt) \
 *     dev.shoal.sequencer.bench.consensus.DagHeapFootprint [--with-signatures]</pre>
 */
public final class DagHeapFootprint {
    public static void main(String[] args) {
        boolean signed = args.length > 0 && args[0].equals("--with-signatures");
        long base = usedAfterGc();
        History history = History.generate(10, 10_000, 7);
        Certificate[] certificates = signed ? withSignatures(history.certificates) : history.certificates;
        dev.shoal.sequencer.core.types.Committee committee = history.committee;
        history = null;
        long withCertificates = usedAfterGc();
        Dag dag = new Dag(committee, Long.MAX_VALUE / 4);
        for (Certificate c : certificates) {
            if (!dag.insert(c).isInserted()) throw new IllegalStateException("not inserted: " + c);
        }
        long withDag = usedAfterGc();
        int count = certificates.length;
        System.out.printf("certificates held: %,d (DAG size %,d incl. genesis)%s%n", count, dag.size(),
                signed ? ", each with 7 signatures" : ", unsigned");
        System.out.printf("certificates alone: %,d bytes (%,d per certificate)%n", withCertificates - base,
                (withCertificates - base) / count);
        System.out.printf("DAG index on top:   %,d bytes (%,d per certificate)%n", withDag - withCertificates,
                (withDag - withCertificates) / count);
        System.out.printf("total per 100,000 certificates held in the DAG: %.1f MiB%n",
                (withDag - base) * 100_000.0 / count / (1 << 20));
    }

    private static Certificate[] withSignatures(Certificate[] unsigned) {
        Random random = new Random(1);
        List<Integer> signers = List.of(0, 1, 2, 3, 4, 5, 6);
        Certificate[] out = new Certificate[unsigned.length];
        for (int i = 0; i < unsigned.length; i++) {
            List<Signature> sigs = new ArrayList<>(signers.size());
            for (int k = 0; k < signers.size(); k++) {
                byte[] b = new byte[Signature.LENGTH];
                random.nextBytes(b);
                sigs.add(Signature.of(b));
            }
            out[i] = new Certificate(unsigned[i].header(), SignerBitmap.of(signers), sigs);
        }
        return out;
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
