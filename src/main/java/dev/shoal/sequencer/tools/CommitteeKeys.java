package dev.shoal.sequencer.tools;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Hex;
import dev.shoal.sequencer.core.types.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic committee: N Ed25519 keys drawn from one seed, the committee they form, and the
 * files the service reads to join it — {@code committee.json} (the {@code node/CommitteeFile}
 * format) and {@code validator-<i>.key} (the key file format: the 32-byte secret seed as 64 hex
 * characters and a newline, permissions 0600). Index {@code i} is the committee index (the
 * committee orders validators by public key), so {@code validator-i.key} runs validator i.
 */
public final class CommitteeKeys {
    private final Committee committee;
    private final KeyPair[] keys;

    private CommitteeKeys(Committee committee, KeyPair[] keys) {
        this.committee = committee;
        this.keys = keys;
    }

    /** N keys from the seed; stake 1 each; addresses 127.0.0.1:(basePort + i). */
    public static CommitteeKeys generate(int n, long seed, long epoch, int basePort) {
        Random random = new Random(seed);
        List<KeyPair> drawn = new ArrayList<>(n);
        for (int i = 0; i < n; i++) drawn.add(KeyPair.deterministic(random));
        List<Validator> members = new ArrayList<>(n);
        for (KeyPair k : drawn) members.add(new Validator("tmp", k.publicKey(), 1, ""));
        Committee sorted = new Committee(epoch, members);
        KeyPair[] byIndex = new KeyPair[n];
        List<Validator> named = new ArrayList<>(n);
        for (KeyPair k : drawn) {
            int i = sorted.indexOf(k.publicKey()).orElseThrow();
            byIndex[i] = k;
        }
        for (int i = 0; i < n; i++) {
            named.add(new Validator("v" + i, byIndex[i].publicKey(), 1, "127.0.0.1:" + (basePort + i)));
        }
        Committee committee = new Committee(epoch, named);
        for (int i = 0; i < n; i++) {
            if (!committee.validator(i).publicKey().equals(byIndex[i].publicKey())) {
                throw new IllegalStateException("committee order changed when naming validators");
            }
        }
        return new CommitteeKeys(committee, byIndex);
    }

    public Committee committee() { return committee; }

    public KeyPair key(int index) { return keys[index]; }

    public int size() { return keys.length; }

    /** The committee file's JSON text. */
    public String committeeJson() {
        StringBuilder s = new StringBuilder();
        s.append("{\"epoch\":").append(committee.epoch()).append(",\"validators\":[\n");
        for (int i = 0; i < committee.size(); i++) {
            Validator v = committee.validator(i);
            s.append("  {\"name\":\"").append(v.name()).append("\",\"publicKey\":\"").append(v.publicKey().toHex())
                    .append("\",\"stake\":").append(v.stake()).append(",\"address\":\"").append(v.address()).append("\"}");
            s.append(i + 1 < committee.size() ? ",\n" : "\n");
        }
        return s.append("]}\n").toString();
    }

    /** Writes committee.json and every validator-i.key into dir (overwriting: the files are synthetic). */
    public void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("committee.json"), committeeJson(), StandardCharsets.UTF_8);
        for (int i = 0; i < keys.length; i++) {
            Path f = dir.resolve("validator-" + i + ".key");
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, Hex.encode(keys[i].secretBytes()) + "\n", StandardCharsets.US_ASCII);
        }
    }
}
