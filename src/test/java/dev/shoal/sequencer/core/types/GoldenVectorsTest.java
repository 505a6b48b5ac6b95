package dev.shoal.sequencer.core.types;

import static dev.shoal.sequencer.core.types.GoldenFixtures.EPOCH;
import static dev.shoal.sequencer.core.types.GoldenFixtures.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.core.codec.CanonicalReader;
import dev.shoal.sequencer.core.codec.CanonicalWriter;
import dev.shoal.sequencer.core.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Frozen canonical encodings and digests of every core type. The hex below was produced once
 * by the code, checked field by field against the layout (little-endian fixed-width integers,
 * u64 length and count prefixes, fixed-width digests/keys/signatures without prefix), and then
 * written here by hand. If one of these tests fails, the wire and storage format changed:
 * that needs a format version bump, not a new vector.
 */
class GoldenVectorsTest {

    /** Joins hex fragments; each fragment below is one field of the layout. */
    private static String hex(String... fields) {
        return String.join("", fields);
    }

    private static <T> void assertGolden(T value, String expectedHex, BiConsumer<CanonicalWriter, T> encoder,
                                         Function<CanonicalReader, T> decoder) {
        CanonicalWriter w = new CanonicalWriter();
        encoder.accept(w, value);
        assertThat(Hex.encode(w.toByteArray())).as("encoding").isEqualTo(expectedHex);
        T decoded = Codec.decode(Hex.decode(expectedHex), decoder);
        assertThat(decoded).as("decoded golden bytes").isEqualTo(value);
    }

    /** SHA-256(tag || 0x00 || bytes), computed here independently of Digest.sha256(String, byte[]). */
    private static String taggedSha256(String tag, String bytesHex) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(tag.getBytes(StandardCharsets.US_ASCII));
        md.update((byte) 0);
        md.update(Hex.decode(bytesHex));
        return Hex.encode(md.digest());
    }

    // ---- fixed-width values ------------------------------------------------------------------

    static final String DIGEST_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    // Public keys of seeds 0x01.., 0x02.., 0x03.., 0x04.. (cross-checked against the JDK's
    // Ed25519 below).
    static final String PK0 = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
    static final String PK1 = "8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394";
    static final String PK2 = "ed4928c628d1c2c6eae90338905995612959273a5c63f93636c14614ac8737d1";
    static final String PK3 = "ca93ac1705187071d67b83c7ff0efe8108e8ec4530575d7726879333dbdabe7c";
    static final String SIG_ABC_BY_KEY0 = "d80d2d6a620402304607a5508a3a17669d6be877bfd79fa3be4dee9f8882d4a0"
            + "1b2b7900118f5a692b5655dad4e0e342852b3ef5ccda821f99263356f5fb8903";

    @Test
    void digestIs32BytesWithoutPrefix() {
        assertGolden(GoldenFixtures.digestAbc(), DIGEST_ABC, (w, d) -> d.encode(w), Digest::decode);
    }

    @Test
    void publicKeyIs32BytesWithoutPrefix() {
        assertGolden(GoldenFixtures.key(0).publicKey(), PK0, (w, k) -> k.encode(w), PublicKey::decode);
        assertThat(GoldenFixtures.key(1).publicKey().toHex()).isEqualTo(PK1);
        assertThat(GoldenFixtures.key(2).publicKey().toHex()).isEqualTo(PK2);
        assertThat(GoldenFixtures.key(3).publicKey().toHex()).isEqualTo(PK3);
    }

    @Test
    void signatureIs64BytesWithoutPrefix() {
        Signature sig = GoldenFixtures.key(0).sign(ascii("abc"));
        assertGolden(sig, SIG_ABC_BY_KEY0, (w, s) -> s.encode(w), Signature::decode);
        assertThat(GoldenFixtures.key(0).publicKey().verify(ascii("abc"), sig)).isTrue();
    }

    @Test
    void goldenKeysAndSignaturesAgreeWithTheJdkEd25519() throws Exception {
        String[] pks = {PK0, PK1, PK2, PK3};
        for (int i = 0; i < 4; i++) {
            byte[] seed = GoldenFixtures.key(i).secretBytes();
            // Equal deterministic signatures of the same message imply equal public keys (A is hashed into them).
            assertThat(Hex.encode(JdkEd25519.sign(seed, ascii("abc"))))
                    .isEqualTo(Hex.encode(GoldenFixtures.key(i).sign(ascii("abc")).toBytes()));
            assertThat(JdkEd25519.verify(Hex.decode(pks[i]), ascii("abc"), JdkEd25519.sign(seed, ascii("abc")))).isTrue();
        }
        assertThat(Hex.encode(JdkEd25519.sign(GoldenFixtures.key(0).secretBytes(), ascii("abc")))).isEqualTo(SIG_ABC_BY_KEY0);
        byte[] voteMessage = Hex.decode(hex("73686f616c2e766f7465", HEADER_DIGEST));
        Committee c = GoldenFixtures.committee();
        assertThat(Hex.encode(JdkEd25519.sign(GoldenFixtures.keyAt(c, 0).secretBytes(), voteMessage))).isEqualTo(VOTE_SIG_0);
        assertThat(Hex.encode(JdkEd25519.sign(GoldenFixtures.keyAt(c, 2).secretBytes(), voteMessage))).isEqualTo(VOTE_SIG_2);
        assertThat(Hex.encode(JdkEd25519.sign(GoldenFixtures.keyAt(c, 3).secretBytes(), voteMessage))).isEqualTo(VOTE_SIG_3);
    }

    // ---- variable-length values ----------------------------------------------------------------

    @Test
    void signerBitmapIsLengthPrefixedLittleEndianBits() {
        assertGolden(SignerBitmap.EMPTY, "0000000000000000", (w, b) -> b.encode(w), SignerBitmap::decode);
        // {0, 2, 3}: bits 0b0000_1101 in byte 0.
        assertGolden(SignerBitmap.of(List.of(0, 2, 3)), hex("0100000000000000", "0d"),
                (w, b) -> b.encode(w), SignerBitmap::decode);
        // {0, 9}: bit 0 of byte 0, bit 1 of byte 1.
        assertGolden(SignerBitmap.of(List.of(0, 9)), hex("0200000000000000", "01", "02"),
                (w, b) -> b.encode(w), SignerBitmap::decode);
    }

    @Test
    void transactionIsLengthPrefixedPayloadAndItsDigestIsPlainSha256() {
        Transaction tx = GoldenFixtures.transactionAbc();
        assertGolden(tx, hex("0300000000000000", "616263"), (w, t) -> t.encode(w), Transaction::decode);
        assertThat(tx.digest().toHex()).isEqualTo(DIGEST_ABC);
        assertThat(Transaction.of(new byte[0]).digest().toHex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    static final String BATCH = hex(
            "01000000",                             // author u32 = 1
            "02000000",                             // worker u32 = 2
            "0200000000000000",                     // 2 transactions
            "0300000000000000", "616263",           // "abc"
            "0000000000000000");                    // empty payload
    static final String BATCH_DIGEST = "33153c1d0c6ec96f839cd7d9e2bbb13ae47380d2a47e33378799c1f32bfc5bde";

    @Test
    void batch() throws Exception {
        Batch b = GoldenFixtures.batch();
        assertGolden(b, BATCH, (w, x) -> x.encode(w), Batch::decode);
        assertThat(b.digest().toHex()).isEqualTo(BATCH_DIGEST).isEqualTo(taggedSha256("shoal.batch", BATCH));
    }

    // Genesis certificate digests of the fixture committee (epoch 7), by committee index.
    static final String GENESIS_CERT_0 = "e810188d45e28353a4d3570f62132c58c9f37aaf7436ab500e6223c97a0acba0";
    static final String GENESIS_CERT_1 = "f4d0e9a52eb8e3a4173b6e8cd5b65ea7a84eb3ef70d25d5cf2f6a623c90141f3";
    static final String GENESIS_CERT_2 = "4bf3aaaa857222f4105a9da661bb7a59807ddf08d4a5537ad30125dd818c4ad4";
    static final String GENESIS_CERT_3 = "ec38b47845a6d9ad9fa349d50012684059ac0b244db5108952b58f5d53837b27";

    static final String HEADER = hex(
            "0700000000000000",                     // epoch u64 = 7
            "0100000000000000",                     // round u64 = 1
            "02000000",                             // author u32 = 2
            "0068e5cf8b010000",                     // timestamp u64 = 1_700_000_000_000 = 0x018b_cfe5_6800
            "0100000000000000", BATCH_DIGEST,       // 1 batch digest
            "0400000000000000",                     // 4 parents, ascending unsigned byte order:
            GENESIS_CERT_2, GENESIS_CERT_0, GENESIS_CERT_3, GENESIS_CERT_1);
    static final String HEADER_DIGEST = "114cdcaf8a5bad624374b07769cd81a6437cf925f4a9a242157e2b0a9ae65cd2";

    @Test
    void header() throws Exception {
        Header h = GoldenFixtures.header();
        assertGolden(h, HEADER, (w, x) -> x.encode(w), Header::decode);
        assertThat(h.digest().toHex()).isEqualTo(HEADER_DIGEST).isEqualTo(taggedSha256("shoal.header", HEADER));
        // The vote message is the ASCII tag "shoal.vote" (no separator) and the header digest.
        assertThat(Hex.encode(h.voteMessage())).isEqualTo(hex("73686f616c2e766f7465", HEADER_DIGEST));
    }

    // Signatures of the header's vote message by committee indexes 0, 2 and 3.
    static final String VOTE_SIG_0 = "ae7d923dc289fce01ca5464830b851237cbd97cd1395d952a75fb41ac3717a4c"
            + "5ce80c604949d69858cebc756213c2ad1dea587c4844271f735fd6961d4b100b";
    static final String VOTE_SIG_2 = "354cd6da8ee41b9481e928052c2b1ec5036b63f90a136248eaa817aa81aa0394"
            + "4e616e29b7569c5f678b2606e94e64c6f8b9bac3436bea6ba1ef7c0c18ea8903";
    static final String VOTE_SIG_3 = "448952802e5d682f56d81077a21a11d6422a1d26352c6ee0a75cb669ef8d0d99"
            + "d895eb22a1b83d2006678e2b3f232516cef799f42e0c149fd350561c03103b05";

    @Test
    void vote() {
        Vote v = GoldenFixtures.vote();
        assertGolden(v, hex(
                HEADER_DIGEST,                      // header digest, 32 bytes
                "0700000000000000",                 // epoch u64 = 7
                "0100000000000000",                 // round u64 = 1
                "02000000",                         // header author u32 = 2
                "00000000",                         // voter u32 = 0
                VOTE_SIG_0),                        // signature, 64 bytes
                (w, x) -> x.encode(w), Vote::decode);
        assertThat(v.verify(GoldenFixtures.committee().validator(0).publicKey())).isTrue();
    }

    @Test
    void genesisCertificates() throws Exception {
        Committee c = GoldenFixtures.committee();
        Certificate g0 = c.genesis().get(0);
        String genesisHeader0 = hex(
                "0700000000000000",                 // epoch 7
                "0000000000000000",                 // round 0
                "00000000",                         // author 0
                "0000000000000000",                 // timestamp 0
                "0000000000000000",                 // no batches
                "0000000000000000");                // no parents
        assertGolden(g0, hex(genesisHeader0,
                "0000000000000000",                 // empty signer bitmap
                "0000000000000000"),                // no signatures
                (w, x) -> x.encode(w), Certificate::decode);
        String headerDigest0 = taggedSha256("shoal.header", genesisHeader0);
        assertThat(g0.header().digest().toHex()).isEqualTo(headerDigest0);
        // The certificate digest covers the header digest only, under its own tag.
        assertThat(g0.digest().toHex()).isEqualTo(GENESIS_CERT_0).isEqualTo(taggedSha256("shoal.certificate", headerDigest0));
        assertThat(c.genesis()).extracting(cert -> cert.digest().toHex())
                .containsExactly(GENESIS_CERT_0, GENESIS_CERT_1, GENESIS_CERT_2, GENESIS_CERT_3);
    }

    static final String CERTIFICATE_DIGEST = "bc1c17af4d7a7b2ac0300ac96e07c37d52d4fc43624ab21939b507bc87e0b267";

    @Test
    void signedCertificate() throws Exception {
        Certificate cert = GoldenFixtures.signedCertificate();
        assertGolden(cert, hex(
                HEADER,
                "0100000000000000", "0d",           // signer bitmap {0, 2, 3}
                "0300000000000000",                 // 3 signatures, ascending signer order
                VOTE_SIG_0, VOTE_SIG_2, VOTE_SIG_3),
                (w, x) -> x.encode(w), Certificate::decode);
        assertThat(cert.digest().toHex()).isEqualTo(CERTIFICATE_DIGEST)
                .isEqualTo(taggedSha256("shoal.certificate", HEADER_DIGEST));
        assertThat(GoldenFixtures.committee().checkCertificate(cert)).isEmpty();
    }

    static String validator(String name, String pk, long stake, String address) {
        CanonicalWriter w = new CanonicalWriter();
        w.u64(stake);
        String stakeHex = Hex.encode(w.toByteArray());
        return hex(
                String.format("%02x00000000000000", name.length()), Hex.encode(ascii(name)),
                pk, stakeHex,
                String.format("%02x00000000000000", address.length()), Hex.encode(ascii(address)));
    }

    @Test
    void validator() {
        String expected = hex(
                "0200000000000000", "7630",         // name "v0"
                PK0,                                // public key, 32 bytes
                "0100000000000000",                 // stake u64 = 1
                "0e00000000000000",                 // address, 14 bytes:
                "3132372e302e302e313a39303030");    // "127.0.0.1:9000"
        assertThat(validator("v0", PK0, 1, "127.0.0.1:9000")).isEqualTo(expected);
        assertGolden(GoldenFixtures.validator(0), expected, (w, x) -> x.encode(w), Validator::decode);
    }

    @Test
    void committeeListsValidatorsSortedByPublicKey() {
        // PK1 (81..) < PK0 (8a..) < PK3 (ca..) < PK2 (ed..)
        assertGolden(GoldenFixtures.committee(), hex(
                "0700000000000000",                 // epoch u64 = 7
                "0400000000000000",                 // 4 validators
                "0200000000000000", "7631", PK1, "0200000000000000", "0e00000000000000", "3132372e302e302e313a39303031",
                "0200000000000000", "7630", PK0, "0100000000000000", "0e00000000000000", "3132372e302e302e313a39303030",
                "0200000000000000", "7633", PK3, "0400000000000000", "0e00000000000000", "3132372e302e302e313a39303033",
                "0200000000000000", "7632", PK2, "0300000000000000", "0e00000000000000", "3132372e302e302e313a39303032"),
                (w, x) -> x.encode(w), Committee::decode);
        Committee c = GoldenFixtures.committee();
        assertThat(c.epoch()).isEqualTo(EPOCH);
        assertThat(c.totalStake()).isEqualTo(10);
        assertThat(c.quorumThreshold()).isEqualTo(7);
        assertThat(c.validityThreshold()).isEqualTo(4);
    }
}
