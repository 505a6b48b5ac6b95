package dev.shoal.sequencer.tools;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.shoal.sequencer.node.KeyFile;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A committee with its secret keys: N Ed25519 keys (from {@link java.security.SecureRandom} for
 * real use, or drawn from one seed for tests and benchmarks), the committee they form, and the
 * files the service reads to join it — {@code committee.json} (the {@code node/CommitteeFile}
 * format) and {@code validator-<i>.key} (the {@link KeyFile} format, permissions 0600).
 * Index {@code i} is the committee index (the committee orders validators by public key), so
 * {@code validator-i.key} runs validator i, whose name and address are those made for index i.
 */
public final class CommitteeKeys {
    private final Committee committee;
    private final KeyPair[] keys;

    private CommitteeKeys(Committee committee, KeyPair[] keys) {
        this.committee = committee;
        this.keys = keys;
    }

    /** N keys from the seed; stake 1 each; names v(i); addresses 127.0.0.1:(basePort + i). */
    public static CommitteeKeys generate(int n, long seed, long epoch, int basePort) {
        return seeded(n, seed, epoch, i -> "v" + i, i -> "127.0.0.1:" + (basePort + i));
    }

    /** N keys from the system's secure random source: the keys of a real committee. */
    public static CommitteeKeys random(int n, long epoch, IntFunction<String> name, IntFunction<String> address) {
        List<KeyPair> drawn = new ArrayList<>(n);
        for (int i = 0; i < n; i++) drawn.add(KeyPair.generate());
        return of(drawn, epoch, name, address);
    }

    /** N keys drawn from one seed: reproducible, so for tests and benchmarks only. */
    public static CommitteeKeys seeded(int n, long seed, long epoch, IntFunction<String> name, IntFunction<String> address) {
        Random random = new Random(seed);
        List<KeyPair> drawn = new ArrayList<>(n);
        for (int i = 0; i < n; i++) drawn.add(KeyPair.deterministic(random));
        return of(drawn, epoch, name, address);
    }

    /**
     * The committee of these keys, stake 1 each. Names and addresses are given by committee index,
     * which is only known once the keys are sorted, so they are assigned after sorting.
     */
    static CommitteeKeys of(List<KeyPair> drawn, long epoch, IntFunction<String> name, IntFunction<String> address) {
        int n = drawn.size();
        List<Validator> unnamed = new ArrayList<>(n);
        for (KeyPair k : drawn) unnamed.add(new Validator("unnamed", k.publicKey(), 1, ""));
        Committee sorted = new Committee(epoch, unnamed);
        KeyPair[] byIndex = new KeyPair[n];
        for (KeyPair k : drawn) byIndex[sorted.indexOf(k.publicKey()).orElseThrow()] = k;
        List<Validator> named = new ArrayList<>(n);
        for (int i = 0; i < n; i++) named.add(new Validator(name.apply(i), byIndex[i].publicKey(), 1, address.apply(i)));
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

    /** The key file name of committee index i. */
    public static String keyFileName(int index) {
        return "validator-" + index + ".key";
    }

    /** The committee file's JSON text, one validator per line. */
    public String committeeJson() {
        StringBuilder s = new StringBuilder();
        s.append("{\"epoch\":").append(committee.epoch()).append(",\"validators\":[\n");
        for (int i = 0; i < committee.size(); i++) {
            Validator v = committee.validator(i);
            s.append("  {\"name\":").append(quote(v.name())).append(",\"publicKey\":\"").append(v.publicKey().toHex())
                    .append("\",\"stake\":").append(v.stake()).append(",\"address\":").append(quote(v.address())).append('}');
            s.append(i + 1 < committee.size() ? ",\n" : "\n");
        }
        return s.append("]}\n").toString();
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    /** The key file content of committee index i (the secret: never log it). */
    public String keyFileText(int index) {
        return KeyFile.format(keys[index]);
    }

    /** The directory already holds a committee or keys and replacing them was not asked for. */
    public static final class KeysExistException extends Exception {
        public KeysExistException(String message) {
            super(message);
        }
    }

    /**
     * Writes committee.json and the keys into dir, but refuses (before writing anything) when dir
     * already holds a committee.json or any validator-*.key, unless {@code force}; with
     * {@code force} every old validator-*.key is deleted first, so no key of an earlier, larger
     * committee is left behind.
     */
    public void writeNewFiles(Path dir, boolean force) throws IOException, KeysExistException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a directory");
        List<Path> existing = existingCommitteeFiles(dir);
        if (!existing.isEmpty() && !force) {
            throw new KeysExistException(dir + " already holds " + existing.stream().map(p -> p.getFileName().toString()).toList()
                    + "; refusing to overwrite validator keys (pass --force to replace them)");
        }
        for (Path p : existing) Files.delete(p);
        writeFiles(dir);
    }

    /** committee.json and validator-*.key files in dir (none when dir does not exist). */
    public static List<Path> existingCommitteeFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var files = Files.list(dir)) {
            return files.filter(p -> {
                String f = p.getFileName().toString();
                return f.equals("committee.json") || f.matches("validator-[0-9]+\\.key");
            }).sorted().toList();
        }
    }

    /**
     * Writes committee.json and every validator-i.key into dir, replacing existing files (each
     * key written atomically with permissions 0600).
     */
    public void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < keys.length; i++) KeyFile.write(dir.resolve(keyFileName(i)), keys[i]);
        Path json = dir.resolve("committee.json");
        Path tmp = dir.resolve(".committee.json.tmp");
        Files.writeString(tmp, committeeJson(), StandardCharsets.UTF_8);
        Files.move(tmp, json, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
