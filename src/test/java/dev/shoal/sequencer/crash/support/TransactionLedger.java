package dev.shoal.sequencer.crash.support;

import dev.shoal.sequencer.core.types.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the clients of a test were told about each transaction they sent, keyed by the hex
 * SHA-256 of the payload (the digest the API reports):
 * <ul>
 *   <li>acknowledged: 202, so it must be committed exactly once, whatever happens afterwards;</li>
 *   <li>in doubt: no answer (the node died or the request timed out): committed at most once;</li>
 *   <li>refused: 503, not accepted: never committed;</li>
 *   <li>unexpected: any other answer (a 500, a 202 with wrong digests...), a failure by itself.</li>
 * </ul>
 */
public final class TransactionLedger {
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> payloads = new ConcurrentHashMap<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());

    public static String digestHex(byte[] payload) {
        try {
            return Hex.encode(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void sent(String digest, byte[] payload) {
        payloads.put(digest, payload);
    }

    public void acknowledged(String digest) {
        acknowledged.add(digest);
        inDoubt.remove(digest);
    }

    public void inDoubt(String digest) {
        if (!acknowledged.contains(digest)) inDoubt.add(digest);
    }

    public void refused(String digest) {
        refused.add(digest);
    }

    public void unexpected(String what) {
        unexpected.add(what);
    }

    /** Whether this test sent the transaction at all (the node also commits empty rounds, but no foreign payloads). */
    public boolean sentByUs(String digest) {
        return payloads.containsKey(digest);
    }

    public byte[] payload(String digest) {
        return payloads.get(digest);
    }

    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    public Set<String> inDoubt() {
        return Set.copyOf(inDoubt);
    }

    public Set<String> refused() {
        return Set.copyOf(refused);
    }

    public List<String> unexpected() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    public int sentCount() {
        return payloads.size();
    }
}
