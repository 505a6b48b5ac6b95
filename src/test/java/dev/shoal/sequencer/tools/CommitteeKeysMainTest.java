package dev.shoal.sequencer.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.node.KeyFile;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.node.CommitteeFile;
import dev.shoal.sequencer.node.IdentityLoader;
import dev.shoal.sequencer.node.IdentitySettings;
import dev.shoal.sequencer.node.NodeIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/committee-keys.sh's main, run in-process: the files it writes are the ones the node
 * itself accepts (its own IdentityLoader finds validator i at committee index i), keys are secret
 * files, random keys differ per run, seeded ones are reproducible, existing keys are never
 * overwritten without --force, and bad command lines exit 2 with a reason and the usage.
 */
class CommitteeKeysMainTest {
    @TempDir
    Path tmp;

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = CommitteeKeysMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static NodeIdentity loadAs(Path dir, int i) {
        return IdentityLoader.load(new IdentitySettings(dir.resolve("data-" + i), Optional.of(dir.resolve("committee.json")),
                Optional.of(dir.resolve("validator-" + i + ".key")), Optional.empty(), "ignored", 0));
    }

    @Test
    void writesACommitteeTheNodeAcceptsWithEachKeyAtItsOwnIndex() throws IOException {
        Path dir = tmp.resolve("c");
        Run r = run("--validators", "4", "--out", dir.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("committee of 4 validators", "SecureRandom", "quorum 3", "f = 1");

        Committee c = CommitteeFile.read(dir.resolve("committee.json"));
        assertThat(c.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            NodeIdentity id = loadAs(dir, i);
            assertThat(id.index()).isEqualTo(i);
            assertThat(id.name()).isEqualTo("v" + i);
            assertThat(id.self().address()).isEqualTo("127.0.0.1:" + (9081 + i));
            Path key = dir.resolve("validator-" + i + ".key");
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            // The summary shows public keys only, never a secret.
            assertThat(r.out()).doesNotContain(Files.readString(key).strip());
        }
    }

    @Test
    void randomKeysDifferOnEveryRunSeededKeysRepeat() throws IOException {
        assertThat(run("--validators", "4", "--out", tmp.resolve("a").toString()).status()).isZero();
        assertThat(run("--validators", "4", "--out", tmp.resolve("b").toString()).status()).isZero();
        assertThat(Files.readString(tmp.resolve("a/committee.json"))).isNotEqualTo(Files.readString(tmp.resolve("b/committee.json")));

        Run s = run("--validators", "4", "--seed", "7", "--out", tmp.resolve("s1").toString());
        assertThat(s.out()).contains("SEEDED", "tests and benchmarks only");
        assertThat(run("--validators", "4", "--seed", "7", "--out", tmp.resolve("s2").toString()).status()).isZero();
        for (String f : List.of("committee.json", "validator-0.key", "validator-3.key")) {
            assertThat(Files.readString(tmp.resolve("s1").resolve(f))).isEqualTo(Files.readString(tmp.resolve("s2").resolve(f)));
        }
        // The same keys as the seeded generator the synthetic-history tools use.
        assertThat(Files.readString(tmp.resolve("s1/committee.json"))).isEqualTo(CommitteeKeys.generate(4, 7, 0, 9081).committeeJson());
    }

    @Test
    void addressTemplateNamesEpochAndHostArePassedThrough() {
        Path dir = tmp.resolve("t");
        Run r = run("--validators", "3", "--out", dir.toString(), "--address-template", "node-{i}.peers.example:7000",
                "--name-template", "shoal-{i}", "--epoch", "5");
        assertThat(r.status()).as(r.err()).isZero();
        Committee c = CommitteeFile.read(dir.resolve("committee.json"));
        assertThat(c.epoch()).isEqualTo(5);
        for (int i = 0; i < 3; i++) {
            assertThat(c.validator(i).address()).isEqualTo("node-" + i + ".peers.example:7000");
            assertThat(c.validator(i).name()).isEqualTo("shoal-" + i);
            assertThat(loadAs(dir, i).index()).isEqualTo(i);
        }
        Run h = run("--validators", "2", "--out", tmp.resolve("h").toString(), "--host", "10.0.0.5", "--base-port", "7100");
        assertThat(h.status()).isZero();
        assertThat(CommitteeFile.read(tmp.resolve("h/committee.json")).validators()).extracting(v -> v.address())
                .containsExactly("10.0.0.5:7100", "10.0.0.5:7101");
    }

    @Test
    void existingKeysAreNeverOverwrittenWithoutForce() throws IOException {
        Path dir = tmp.resolve("k");
        assertThat(run("--validators", "4", "--out", dir.toString()).status()).isZero();
        String key0 = Files.readString(dir.resolve("validator-0.key"));

        Run again = run("--validators", "4", "--out", dir.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("refusing to overwrite", "--force", "validator-0.key");
        assertThat(Files.readString(dir.resolve("validator-0.key"))).isEqualTo(key0);

        // --force replaces them, and a smaller committee leaves no key of the old one behind.
        Run forced = run("--validators", "3", "--out", dir.toString(), "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(Files.readString(dir.resolve("validator-0.key"))).isNotEqualTo(key0);
        assertThat(dir.resolve("validator-3.key")).doesNotExist();
        assertThat(CommitteeFile.read(dir.resolve("committee.json")).size()).isEqualTo(3);
        assertThat(KeyFile.read(dir.resolve("validator-2.key")).publicKey())
                .isEqualTo(CommitteeFile.read(dir.resolve("committee.json")).validator(2).publicKey());
    }

    @Test
    void badCommandLinesExitTwoWithTheReasonAndTheUsage() throws IOException {
        String out = tmp.resolve("bad").toString();
        List<List<String>> cases = List.of(
                List.of("--out", out),
                List.of("--validators", "4"),
                List.of("--validators", "0", "--out", out),
                List.of("--validators", "four", "--out", out),
                List.of("--validators", "4", "--out", out, "--address-template", "same-host:9000"),
                List.of("--validators", "4", "--out", out, "--address-template", "h-{i}"),
                List.of("--validators", "4", "--out", out, "--address-template", "h-{i}:9000", "--base-port", "9000"),
                List.of("--validators", "4", "--out", out, "--base-port", "65534"),
                List.of("--validators", "4", "--out", out, "--name-template", "same"),
                List.of("--validators", "4", "--out", out, "--colour", "blue"),
                List.of("--validators", "4", "--out", out, "extra"),
                List.of("--validators", "4", "--out"));
        for (List<String> args : cases) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("committee-keys: ").contains("usage: scripts/committee-keys.sh");
        }
        assertThat(tmp.resolve("bad")).doesNotExist();

        Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--address-template", "--seed", "--force");
    }

    @Test
    void anOutputPathThatIsAFileFailsWithExitOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Run r = run("--validators", "1", "--out", file.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("not a directory");
    }

    @Test
    void theKubernetesGeneratorWritesTheCommitteeOfThePodsAndRefusesBadInput() throws IOException {
        Path dir = tmp.resolve("k8s");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(KubernetesCommitteeMain.run(new String[] {"--namespace", "prod", "--out", dir.toString()}, o, e)).as(err.toString()).isZero();
        Committee c = CommitteeFile.read(dir.resolve("committee.json"));
        assertThat(c.size()).isEqualTo(KubernetesCommittee.DEFAULT_VALIDATORS);
        for (int i = 0; i < c.size(); i++) {
            assertThat(loadAs(dir, i).self().address()).isEqualTo("shoal-validator-" + i + ".shoal-validator-peers.prod.svc.cluster.local:9000");
        }
        assertThat(dir.resolve(KubernetesCommittee.CONFIGMAP_FILE)).exists();
        assertThat(dir.resolve(KubernetesCommittee.SECRET_FILE)).exists();

        assertThat(KubernetesCommitteeMain.run(new String[] {"--out", dir.toString()}, o, e)).isEqualTo(1);
        for (String[] bad : List.of(new String[] {"--namespace", "Not_A_Namespace"}, new String[] {"--validators", "0"},
                new String[] {"--replicas", "4"}, new String[] {"--out"})) {
            err.reset();
            assertThat(KubernetesCommitteeMain.run(bad, o, e)).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(err.toString()).startsWith("generate-committee: ").contains("usage:");
        }
    }
}
