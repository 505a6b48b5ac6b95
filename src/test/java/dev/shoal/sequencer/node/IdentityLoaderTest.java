package dev.shoal.sequencer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Hex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity loading without Quarkus: key generation and reuse, committee files, and every refusal. */
class IdentityLoaderTest {
    @TempDir
    Path dir;

    private IdentitySettings single() {
        return new IdentitySettings(dir.resolve("data"), Optional.empty(), Optional.empty(), Optional.empty(), "solo", 3);
    }

    private IdentitySettings withCommittee(Path committee, Path keyFile) {
        return new IdentitySettings(dir.resolve("data"), Optional.of(committee), Optional.of(keyFile), Optional.empty(), "ignored", 0);
    }

    private static KeyPair key(long seed) {
        return KeyPair.deterministic(new Random(seed));
    }

    private Path writeKey(String name, KeyPair key) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, Hex.encode(key.secretBytes()) + "\n");
        return f;
    }

    private Path writeCommittee(String json) throws Exception {
        Path f = dir.resolve("committee.json");
        Files.writeString(f, json);
        return f;
    }

    private static String member(String name, KeyPair k, long stake) {
        return "{\"name\":\"" + name + "\",\"publicKey\":\"" + k.publicKey().toHex() + "\",\"stake\":" + stake + ",\"address\":\"" + name + ":9000\"}";
    }

    @Test
    void firstStartGeneratesAKeyFileWith0600AndARestartReusesIt() throws Exception {
        NodeIdentity first = IdentityLoader.load(single());
        Path keyFile = dir.resolve("data").resolve("validator.key");

        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(keyFile).strip()).matches("[0-9a-f]{64}");
        try (var files = Files.list(keyFile.getParent())) {
            assertThat(files).as("no temporary file left behind").containsExactly(keyFile);
        }

        NodeIdentity second = IdentityLoader.load(single());
        assertThat(second.keyPair().publicKey()).isEqualTo(first.keyPair().publicKey());
        assertThat(KeyPair.fromSecret(Hex.decode(Files.readString(keyFile).strip())).publicKey()).isEqualTo(first.keyPair().publicKey());
    }

    @Test
    void withoutCommitteeFileItIsAOneValidatorCommitteeOfStakeOne() {
        NodeIdentity id = IdentityLoader.load(single());
        assertThat(id.singleValidator()).isTrue();
        assertThat(id.index()).isZero();
        assertThat(id.name()).isEqualTo("solo");
        assertThat(id.committee().size()).isEqualTo(1);
        assertThat(id.committee().epoch()).isEqualTo(3);
        assertThat(id.committee().totalStake()).isEqualTo(1);
        assertThat(id.committee().quorumThreshold()).isEqualTo(1);
        assertThat(id.committee().validator(0).publicKey()).isEqualTo(id.keyPair().publicKey());
    }

    @Test
    void keyFromEnvironmentWinsAndWritesNothing() {
        KeyPair k = key(7);
        IdentitySettings s = new IdentitySettings(dir.resolve("data"), Optional.empty(), Optional.empty(),
                Optional.of(Hex.encode(k.secretBytes()).toUpperCase()), "env", 0);
        NodeIdentity id = IdentityLoader.load(s);
        assertThat(id.keyPair().publicKey()).isEqualTo(k.publicKey());
        assertThat(dir.resolve("data").resolve("validator.key")).doesNotExist();
    }

    @Test
    void committeeFileMemberTakesItsNameIndexAndCommittee() throws Exception {
        KeyPair a = key(1), b = key(2), c = key(3), d = key(4);
        Path committee = writeCommittee("{\"epoch\":5,\"validators\":[" + member("v0", a, 1) + "," + member("v1", b, 2) + ","
                + member("v2", c, 1) + "," + member("v3", d, 1) + "]}");
        NodeIdentity id = IdentityLoader.load(withCommittee(committee, writeKey("b.key", b)));

        assertThat(id.singleValidator()).isFalse();
        assertThat(id.name()).isEqualTo("v1");
        assertThat(id.committee().size()).isEqualTo(4);
        assertThat(id.committee().epoch()).isEqualTo(5);
        assertThat(id.committee().totalStake()).isEqualTo(5);
        assertThat(id.committee().validator(id.index()).publicKey()).isEqualTo(b.publicKey());
        assertThat(id.self().address()).isEqualTo("v1:9000");
    }

    @Test
    void refusesAKeyThatIsNotInTheCommittee() throws Exception {
        Path committee = writeCommittee("{\"epoch\":0,\"validators\":[" + member("v0", key(1), 1) + "," + member("v1", key(2), 1) + "]}");
        KeyPair stranger = key(99);
        assertThatThrownBy(() -> IdentityLoader.load(withCommittee(committee, writeKey("x.key", stranger))))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("validator key " + stranger.publicKey())
                .hasMessageContaining("is not a member of the committee in " + committee)
                .hasMessageContaining("v0=")
                .hasNoCause();
    }

    @Test
    void refusesAMissingKeyFileWhenACommitteeIsConfiguredAndGeneratesNone() throws Exception {
        Path committee = writeCommittee("{\"epoch\":0,\"validators\":[" + member("v0", key(1), 1) + "]}");
        Path missing = dir.resolve("missing.key");
        assertThatThrownBy(() -> IdentityLoader.load(withCommittee(committee, missing)))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining(missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void refusesMalformedKeyFiles() throws Exception {
        Path committee = writeCommittee("{\"epoch\":0,\"validators\":[" + member("v0", key(1), 1) + "]}");
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "abcd\n");
        assertThatThrownBy(() -> IdentityLoader.load(withCommittee(committee, shortKey)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("validator key file " + shortKey + " is malformed: expected 64 hex characters (a 32-byte Ed25519 secret key), found 4 characters");
        Path notHex = dir.resolve("nothex.key");
        Files.writeString(notHex, "zz".repeat(32));
        assertThatThrownBy(() -> IdentityLoader.load(withCommittee(committee, notHex)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("validator key file " + notHex + " is malformed: it is not a hex string");
        // The one-validator path must not paper over a corrupt key by generating a new one.
        IdentitySettings s = new IdentitySettings(dir, Optional.empty(), Optional.of(notHex), Optional.empty(), "solo", 0);
        assertThatThrownBy(() -> IdentityLoader.load(s)).isInstanceOf(IdentityException.class).hasMessageContaining("not a hex string");
        assertThat(Files.readString(notHex)).isEqualTo("zz".repeat(32));
    }

    @Test
    void refusesAMalformedKeyFromTheEnvironment() {
        IdentitySettings s = new IdentitySettings(dir, Optional.empty(), Optional.empty(), Optional.of("1234"), "solo", 0);
        assertThatThrownBy(() -> IdentityLoader.load(s))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("SEQUENCER_VALIDATOR_KEY")
                .hasMessageContaining("found 4 characters");
    }

    @Test
    void refusesMalformedCommitteeFiles() throws Exception {
        KeyPair a = key(1);
        Path keyFile = writeKey("a.key", a);
        String good = member("v0", a, 1);
        String[][] cases = {
                {"{\"epoch\":0,\"validators\":[" + good, "not valid JSON"},
                {"[]", "the top level must be a JSON object"},
                {"{\"epoch\":0,\"validators\":[]}", "\"validators\" must be a non-empty array"},
                {"{\"validators\":[" + good + "]}", "epoch is missing"},
                {"{\"epoch\":-1,\"validators\":[" + good + "]}", "epoch must be a non-negative integer"},
                {"{\"epoch\":0,\"validators\":[" + good + "],\"extra\":1}", "unknown field \"extra\""},
                {"{\"epoch\":0,\"validators\":[{\"name\":\"v0\",\"pubkey\":\"00\",\"stake\":1}]}", "validators[0] has an unknown field \"pubkey\""},
                {"{\"epoch\":0,\"validators\":[{\"name\":\"v0\",\"publicKey\":\"abcd\",\"stake\":1}]}", "validators[0].publicKey is not a 32-byte Ed25519 public key"},
                {"{\"epoch\":0,\"validators\":[{\"name\":\"v0\",\"publicKey\":\"" + a.publicKey().toHex() + "\",\"stake\":0}]}", "validators[0].stake must be at least 1"},
                {"{\"epoch\":0,\"validators\":[{\"publicKey\":\"" + a.publicKey().toHex() + "\",\"stake\":1}]}", "validators[0].name is missing"},
                {"{\"epoch\":0,\"validators\":[" + good + "," + good + "]}", "appears twice in the committee"},
        };
        for (String[] c : cases) {
            Path committee = writeCommittee(c[0]);
            assertThatThrownBy(() -> IdentityLoader.load(withCommittee(committee, keyFile)))
                    .as(c[0])
                    .isInstanceOf(IdentityException.class)
                    .hasMessageStartingWith("committee file " + committee + " is malformed: ")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void refusesAMissingCommitteeFile() throws Exception {
        Path keyFile = writeKey("a.key", key(1));
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> IdentityLoader.load(withCommittee(missing, keyFile)))
                .isInstanceOf(IdentityException.class)
                .hasMessage("committee file " + missing + " does not exist");
    }
}
