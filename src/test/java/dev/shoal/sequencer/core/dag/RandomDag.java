package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.SignerBitmap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random DAGs and delivery orders for property tests and benchmarks. Unsigned certificates:
 * the DAG's checks are structural.
 */
public final class RandomDag {
    private RandomDag() {}

    /** Random DAG without leader-targeted patterns (see the other overload). */
    public static List<Certificate> generate(Committee committee, long rounds, double presence, double slowLeader, long seed) {
        return generate(committee, rounds, presence, slowLeader, 0, r -> -1, seed);
    }

    /**
     * A DAG of {@code rounds} rounds. Each validator is present in a round with probability
     * {@code presence} (a quorum always is) and links to a random quorum-or-more of the previous round.
     * Each certificate is, with probability {@code slow}, unpopular: the next round links to it only
     * when it needs it for a quorum or by chance. With probability {@code weakAnchor} the certificate of
     * {@code leaderOf(r)} in round r is linked by just enough (or one short of enough) stake of round r+1
     * for a direct commit, and one of those supporters is often avoided by round r+2: in many delivery
     * orders the decisive support arrives late, after higher anchors are already supported.
     */
    public static List<Certificate> generate(Committee committee, long rounds, double presence, double slow,
                                             double weakAnchor, java.util.function.LongToIntFunction leaderOf, long seed) {
        Random rnd = new Random(seed);
        int n = committee.size();
        long quorum = committee.quorumThreshold();
        long validity = committee.validityThreshold();
        List<Certificate> out = new ArrayList<>();
        List<Certificate> previous = new ArrayList<>(committee.genesis());
        Set<Integer> hiddenAuthors = new HashSet<>();
        for (long r = 1; r <= rounds; r++) {
            List<Integer> authors = new ArrayList<>();
            for (int a = 0; a < n; a++) if (rnd.nextDouble() < presence) authors.add(a);
            List<Integer> missing = new ArrayList<>();
            for (int a = 0; a < n; a++) if (!authors.contains(a)) missing.add(a);
            Collections.shuffle(missing, rnd);
            while (committee.stakeOf(authors) < quorum) authors.add(missing.remove(0));
            Collections.sort(authors);

            Set<Certificate> avoid = new HashSet<>();
            for (Certificate p : previous) {
                if (p.round() > 0 && (rnd.nextDouble() < slow || hiddenAuthors.contains(p.author()))) avoid.add(p);
            }
            // A weak anchor: only the chosen supporters link to it.
            Certificate weak = null;
            Set<Integer> supporters = new HashSet<>();
            int leader = leaderOf.applyAsInt(r - 1);
            if (leader >= 0 && r > 1 && rnd.nextDouble() < weakAnchor) {
                for (Certificate p : previous) if (p.author() == leader) weak = p;
            }
            if (weak != null) {
                long target = rnd.nextBoolean() ? validity : validity - 1;
                List<Integer> pool = new ArrayList<>(authors);
                Collections.shuffle(pool, rnd);
                for (int a : pool) {
                    if (committee.stakeOf(supporters) >= target) break;
                    supporters.add(a);
                }
            }
            Set<Integer> nextHidden = new HashSet<>();
            if (weak != null && !supporters.isEmpty() && rnd.nextInt(4) != 0) {
                // One supporter is avoided by the next round whenever a quorum allows.
                List<Integer> s = new ArrayList<>(supporters);
                Collections.sort(s);
                nextHidden.add(s.get(rnd.nextInt(s.size())));
            }

            List<Certificate> current = new ArrayList<>();
            for (int a : authors) {
                List<Certificate> pool = new ArrayList<>(previous);
                Collections.shuffle(pool, rnd);
                List<Digest> parents = new ArrayList<>();
                Set<Integer> parentAuthors = new HashSet<>();
                // Pass 0: ordinary certificates; pass 1: avoided ones when needed or by chance;
                // pass 2: the weak anchor, for its supporters or when nothing else makes a quorum.
                for (int pass = 0; pass < 3; pass++) {
                    for (Certificate p : pool) {
                        boolean isWeak = p == weak;
                        boolean isAvoided = avoid.contains(p);
                        if (parentAuthors.contains(p.author())) continue;
                        if (pass == 0 && (isWeak || isAvoided)) continue;
                        if (pass == 1 && (isWeak || !isAvoided)) continue;
                        if (pass == 2 && !isWeak) continue;
                        boolean below = committee.stakeOf(parentAuthors) < quorum;
                        boolean take = switch (pass) {
                            case 0 -> below || rnd.nextBoolean();
                            case 1 -> below || rnd.nextInt(6) == 0;
                            default -> supporters.contains(a) || below;
                        };
                        if (take) {
                            parents.add(p.digest());
                            parentAuthors.add(p.author());
                        }
                    }
                }
                Header h = Header.of(committee.epoch(), r, a, r * 1000 + a, List.of(), parents);
                current.add(new Certificate(h, SignerBitmap.EMPTY, List.of()));
            }
            out.addAll(current);
            previous = current;
            hiddenAuthors = nextHidden;
        }
        return out;
    }

    /**
     * A seeded delivery order that respects parents, modelled on a network: each certificate arrives a
     * random delay after its last parent, and about one in six is a straggler delayed by up to a few
     * dozen steps (late support, late anchors).
     */
    public static List<Certificate> causalShuffle(List<Certificate> certificates, long seed) {
        Random rnd = new Random(seed);
        java.util.Map<Digest, Long> arrival = new java.util.HashMap<>();
        List<long[]> keyed = new ArrayList<>(certificates.size());
        for (int i = 0; i < certificates.size(); i++) {
            Certificate c = certificates.get(i); // creation order is causal
            long t = 0;
            for (Digest p : c.parents()) t = Math.max(t, arrival.getOrDefault(p, 0L));
            t += 1 + (rnd.nextInt(6) == 0 ? rnd.nextInt(40) : rnd.nextInt(4));
            arrival.put(c.digest(), t);
            keyed.add(new long[] {t, rnd.nextLong(), i});
        }
        keyed.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        List<Certificate> out = new ArrayList<>(certificates.size());
        for (long[] k : keyed) out.add(certificates.get((int) k[2]));
        return out;
    }

    /** Any seeded permutation (not causal: the DAG's pending set sorts it out). */
    public static List<Certificate> shuffle(List<Certificate> certificates, long seed) {
        List<Certificate> out = new ArrayList<>(certificates);
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}
