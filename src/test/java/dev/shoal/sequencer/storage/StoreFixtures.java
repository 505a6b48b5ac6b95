package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Batch;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Transaction;
import dev.shoal.sequencer.core.types.Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A four-validator committee with real keys and helpers that make signed certificates. */
public final class StoreFixtures {
    public final List<KeyPair> keys = new ArrayList<>();
    public final Committee committee;

    public StoreFixtures(long seed) {
        Random random = new Random(seed);
        List<Validator> vs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            KeyPair k = KeyPair.deterministic(random);
            vs.add(new Validator("v" + i, k.publicKey(), 1, "127.0.0.1:" + (9000 + i)));
        }
        committee = new Committee(0, vs);
        Random again = new Random(seed);
        List<KeyPair> generated = new ArrayList<>();
        for (int i = 0; i < 4; i++) generated.add(KeyPair.deterministic(again));
        for (Validator v : committee.validators()) {
            keys.add(generated.stream().filter(k -> k.publicKey().equals(v.publicKey())).findFirst().orElseThrow());
        }
    }

    public static Batch batch(int author, String... payloads) {
        List<Transaction> txs = new ArrayList<>();
        for (String p : payloads) txs.add(Transaction.of(p.getBytes(StandardCharsets.UTF_8)));
        return new Batch(author, 0, txs);
    }

    /** A certificate of author at round with the given parents and batches, signed by validators 0..2. */
    public Certificate certificate(int author, long round, List<Digest> parents, List<Digest> batches) {
        Header h = Header.of(committee.epoch(), round, author, 1_000 + round, batches, parents);
        List<Signature> sigs = new ArrayList<>();
        for (int s = 0; s < 3; s++) sigs.add(keys.get(s).sign(h.voteMessage()));
        return new Certificate(h, SignerBitmap.of(List.of(0, 1, 2)), sigs);
    }

    /** One full round of certificates on top of the previous round's. */
    public List<Certificate> round(long round, List<Certificate> previous) {
        List<Digest> parents = previous.stream().map(Certificate::digest).toList();
        List<Certificate> out = new ArrayList<>();
        for (int a = 0; a < committee.size(); a++) out.add(certificate(a, round, parents, List.of()));
        return out;
    }
}
