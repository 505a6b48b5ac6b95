package dev.shoal.sequencer.net;

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
import dev.shoal.sequencer.core.types.Vote;
import dev.shoal.sequencer.core.validator.Message;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Committees with real keys on loopback ports, and sample messages of every kind. */
final class NetFixtures {
    private NetFixtures() {}

    /** A committee and the key of each member, indexed like the committee. */
    record Members(Committee committee, List<KeyPair> keys) {
        KeyPair key(int index) {
            return keys.get(index);
        }

        int port(int index) {
            return PeerAddress.parse(committee.validator(index).address()).port();
        }
    }

    static Members committee(int n, long epoch, Random random) {
        List<KeyPair> generated = new ArrayList<>();
        List<Validator> validators = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            KeyPair k = KeyPair.deterministic(random);
            generated.add(k);
            validators.add(new Validator("v" + i, k.publicKey(), 1, "127.0.0.1:" + freePort()));
        }
        Committee c = new Committee(epoch, validators);
        List<KeyPair> byIndex = new ArrayList<>();
        for (Validator v : c.validators()) {
            byIndex.add(generated.stream().filter(k -> k.publicKey().equals(v.publicKey())).findFirst().orElseThrow());
        }
        return new Members(c, byIndex);
    }

    /** The same validators under another epoch. */
    static Committee withEpoch(Committee c, long epoch) {
        return new Committee(epoch, c.validators());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Fast retries and short handshakes, for tests on loopback. */
    static NetworkSettings settings() {
        return NetworkSettings.defaults()
                .withListen("127.0.0.1", 0)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withHandshakeTimeout(Duration.ofSeconds(5));
    }

    static Digest digest(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Digest.of(b);
    }

    static Batch batch(int author, Random random) {
        List<Transaction> txs = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[random.nextInt(64)];
            random.nextBytes(p);
            txs.add(Transaction.of(p));
        }
        return new Batch(author, random.nextInt(2), txs);
    }

    static Header header(Members m, int author, long round, Random random) {
        List<Digest> parents = new ArrayList<>();
        for (int i = 0; i < m.committee().size(); i++) parents.add(digest(random));
        return Header.of(m.committee().epoch(), round, author, 1_700_000_000_000L + round,
                List.of(digest(random), digest(random)), parents);
    }

    static Certificate certificate(Members m, int author, long round, Random random) {
        Header h = header(m, author, round, random);
        List<Integer> signers = new ArrayList<>();
        List<Signature> sigs = new ArrayList<>();
        int quorum = m.committee().size() * 2 / 3 + 1;
        for (int i = 0; i < quorum; i++) {
            signers.add(i);
            sigs.add(m.key(i).sign(h.voteMessage()));
        }
        return new Certificate(h, SignerBitmap.of(signers), sigs);
    }

    /** One message of every kind, with content drawn from {@code random}. */
    static List<PeerMessage> everyKind(Members m, int sender, Random random) {
        Header h = header(m, sender, 3, random);
        int voter = (sender + 1) % m.committee().size();
        Vote vote = new Vote(h.digest(), h.epoch(), h.round(), sender, voter, m.key(voter).sign(h.voteMessage()));
        return List.of(
                new PeerMessage.Consensus(new Message.HeaderMessage(h)),
                new PeerMessage.Consensus(new Message.VoteMessage(vote)),
                new PeerMessage.Consensus(new Message.CertificateMessage(certificate(m, sender, 2, random))),
                new PeerMessage.Consensus(new Message.CertificateRequest(List.of(digest(random), digest(random)))),
                new PeerMessage.BatchPush(batch(sender, random)),
                new PeerMessage.BatchRequest(List.of(digest(random))),
                new PeerMessage.BatchResponse(List.of(batch(sender, random), batch(voter, random))),
                new PeerMessage.RangeRequest(random.nextInt(1000), 1 + random.nextInt(20)),
                new PeerMessage.RangeResponse(4, 6, 9, List.of(certificate(m, 0, 4, random), certificate(m, 1, 5, random))),
                new PeerMessage.CheckpointRequest(),
                new PeerMessage.CheckpointOffer(random.nextInt(100), 100 + random.nextInt(100), batch(sender, random).toBytes()),
                new PeerMessage.CheckpointOffer(0, 0, new byte[0]),
                new PeerMessage.StateRequest(1 + random.nextInt(1000)),
                new PeerMessage.StateVouch(1 + random.nextInt(1000), java.util.Optional.of(digest(random))),
                new PeerMessage.StateVouch(7, java.util.Optional.empty()),
                new PeerMessage.WindowRequest(1 + random.nextInt(1000), random.nextInt(1000), 1 + random.nextInt(1000)),
                new PeerMessage.WindowPage(9, true, 12, 3, 11, List.of(new PeerMessage.WindowEntry(8, digest(random)),
                        new PeerMessage.WindowEntry(9, digest(random)))),
                PeerMessage.WindowPage.unavailable(4),
                new PeerMessage.SafeRoundRequest(),
                new PeerMessage.SafeRoundAnswer(java.util.Optional.of(certificate(m, sender, 5, random))),
                new PeerMessage.SafeRoundAnswer(java.util.Optional.empty()));
    }

    /** A seed from the environment (SHOAL_TEST_SEED) or the clock; tests print it so a failure can be re-run. */
    static long seed() {
        String s = System.getenv("SHOAL_TEST_SEED");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }
}
