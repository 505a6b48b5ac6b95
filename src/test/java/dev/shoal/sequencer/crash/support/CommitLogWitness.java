package dev.shoal.sequencer.crash.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Everything a reader has seen of the commit log (GET /api/v1/commits), across crashes and
 * restarts, and the checks every later view of the log must pass:
 * <ol>
 *   <li>indexes are 1, 2, 3, ... without a gap;</li>
 *   <li>a commit once seen never changes (anchor, certificates, transactions, commit time);</li>
 *   <li>no transaction is committed twice, and each one's digest is the SHA-256 of its payload;</li>
 *   <li>every transaction the ledger says was acknowledged is committed; none it says was refused
 *       is; none the test never sent appears.</li>
 * </ol>
 * {@link #check} returns the problems found (empty = all good) instead of throwing, so a test can
 * print them all with its seed.
 */
public final class CommitLogWitness {
    private final ConcurrentSkipListMap<Long, JsonNode> seen = new ConcurrentSkipListMap<>();

    /** Records commits a reader saw; a second sighting of an index must be identical (checked in {@link #check}). */
    public List<String> saw(List<JsonNode> commits) {
        List<String> problems = new ArrayList<>();
        for (JsonNode c : commits) {
            long index = c.get("index").asLong();
            JsonNode before = seen.putIfAbsent(index, c);
            if (before != null && !before.equals(c)) {
                problems.add("commit " + index + " changed: first seen " + before + ", now " + c);
            }
        }
        return problems;
    }

    /** The highest index seen so far (0 before any). */
    public long highestSeen() {
        return seen.isEmpty() ? 0 : seen.lastKey();
    }

    public int seenCount() {
        return seen.size();
    }

    /** All committed transaction digests of a log, with how often each appears. */
    public static Map<String, Integer> transactionCounts(List<JsonNode> log) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode c : log) {
            for (JsonNode tx : c.path("transactions")) counts.merge(tx.get("digest").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** True when every acknowledged transaction of the ledger is in this log. */
    public static boolean containsAll(List<JsonNode> log, Set<String> digests) {
        Set<String> committed = ConcurrentHashMap.newKeySet();
        for (JsonNode c : log) for (JsonNode tx : c.path("transactions")) committed.add(tx.get("digest").asText());
        return committed.containsAll(digests);
    }

    /**
     * Checks a complete log (read from index 1) against everything seen before and the ledger, then
     * remembers it as seen. Returns the problems, at most a few of each kind.
     */
    public List<String> check(List<JsonNode> log, TransactionLedger ledger) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            long index = log.get(i).get("index").asLong();
            if (index != i + 1) {
                problems.add("commit log is not gap-free from 1: position " + i + " holds index " + index);
                break;
            }
        }
        if (log.size() < highestSeen()) {
            problems.add("commit log ends at " + log.size() + " but a reader already saw commit " + highestSeen());
        }
        int changed = 0;
        for (JsonNode c : log) {
            JsonNode before = seen.get(c.get("index").asLong());
            if (before != null && !before.equals(c) && changed++ < 5) {
                problems.add("commit " + c.get("index") + " changed after a restart: was " + before + ", is " + c);
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        int badPayload = 0;
        for (JsonNode c : log) {
            for (JsonNode tx : c.path("transactions")) {
                String d = tx.get("digest").asText();
                counts.merge(d, 1, Integer::sum);
                byte[] payload = Base64.getDecoder().decode(tx.get("payload").asText());
                if (!TransactionLedger.digestHex(payload).equals(d) && badPayload++ < 5) {
                    problems.add("commit " + c.get("index") + ": transaction digest " + d + " is not the SHA-256 of its payload");
                }
            }
        }
        counts.forEach((d, n) -> {
            if (n > 1) problems.add("transaction " + d + " (" + describe(ledger, d) + ") committed " + n + " times");
        });
        List<String> missing = new ArrayList<>();
        for (String d : ledger.acknowledged()) if (!counts.containsKey(d)) missing.add(d);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " acknowledged transactions are not committed, e.g. "
                    + missing.stream().limit(5).map(d -> d + " (" + describe(ledger, d) + ")").toList());
        }
        for (String d : ledger.refused()) {
            if (counts.containsKey(d)) problems.add("transaction " + d + " (" + describe(ledger, d) + ") was refused with 503 but is committed");
        }
        for (String d : counts.keySet()) {
            if (!ledger.sentByUs(d)) problems.add("transaction " + d + " is committed but no client of this test sent it");
        }
        saw(log);
        return problems;
    }

    private static String describe(TransactionLedger ledger, String digest) {
        byte[] p = ledger.payload(digest);
        return p == null ? "unknown payload" : "payload " + new String(p, java.nio.charset.StandardCharsets.UTF_8);
    }
}
