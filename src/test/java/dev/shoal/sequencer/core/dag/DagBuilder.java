package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;
import dev.shoal.sequencer.core.types.PublicKey;
import dev.shoal.sequencer.core.types.SignerBitmap;
import dev.shoal.sequencer.core.types.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds hand-made DAGs for tests, with a small text DSL. Validators are letters: A is index 0, B is 1...
 * A certificate is named by author and round: {@code D3}.
 *
 * <pre>
 * Round 1: A, B, C, D              every listed author links to every certificate of the previous round
 * Round 2: A -> [-D1], B -> [*]    all of the previous round except D1; all of it
 * Round 3: C -> [A2, B2, D2]       exactly these parents
 * Rounds 4..9: *                   every author, fully connected, in each round
 * </pre>
 *
 * Certificates are unsigned (the DAG's checks are structural). Use {@link #certificates()} for the
 * creation order, which is causal.
 */
public final class DagBuilder {
    private static final Pattern ROUND = Pattern.compile("\\s*Round\\s+(\\d+)\\s*:(.*)");
    private static final Pattern ROUNDS = Pattern.compile("\\s*Rounds\\s+(\\d+)\\s*\\.\\.\\s*(\\d+)\\s*:(.*)");
    private static final Pattern NAME = Pattern.compile("([A-Z])(\\d+)");

    private final Committee committee;
    private final Map<String, Certificate> byName = new LinkedHashMap<>();
    private long timestamp;

    public DagBuilder(Committee committee) {
        this.committee = committee;
        for (Certificate g : committee.genesis()) byName.put(name(g.author(), 0), g);
    }

    /** A committee of unit-stake validators whose indexes follow the letters A, B, C... (unsigned tests only). */
    public static Committee committee(int n) {
        long[] stakes = new long[n];
        java.util.Arrays.fill(stakes, 1);
        return committee(stakes);
    }

    /** A committee with the given stakes, validator i holding stakes[i]. */
    public static Committee committee(long... stakes) {
        List<Validator> vs = new ArrayList<>();
        for (int i = 0; i < stakes.length; i++) {
            byte[] key = new byte[32];
            key[0] = (byte) (i / 200 + 1);
            key[1] = (byte) (i % 200);
            vs.add(new Validator(letter(i), PublicKey.of(key), stakes[i], ""));
        }
        return new Committee(0, vs);
    }

    public static String letter(int author) {
        return author < 26 ? String.valueOf((char) ('A' + author)) : "V" + author;
    }

    public static String name(int author, long round) {
        return letter(author) + round;
    }

    public static int author(String letter) {
        return letter.charAt(0) - 'A';
    }

    public Committee committee() {
        return committee;
    }

    /** The certificate with this name, e.g. "C4". */
    public Certificate get(String name) {
        Certificate c = byName.get(name);
        if (c == null) throw new IllegalArgumentException("no certificate " + name);
        return c;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** Every built certificate above round 0, in creation (causal) order. */
    public List<Certificate> certificates() {
        return byName.values().stream().filter(c -> c.round() > 0).toList();
    }

    /** Parses DSL lines (see the class comment); blank lines and lines starting with # are ignored. */
    public DagBuilder parse(String text) {
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            Matcher many = ROUNDS.matcher(l);
            if (many.matches()) {
                for (long r = Long.parseLong(many.group(1)); r <= Long.parseLong(many.group(2)); r++) {
                    round(r, many.group(3));
                }
                continue;
            }
            Matcher one = ROUND.matcher(l);
            if (!one.matches()) throw new IllegalArgumentException("cannot parse DSL line: " + line);
            round(Long.parseLong(one.group(1)), one.group(2));
        }
        return this;
    }

    /** One round's entries, e.g. {@code "A -> [-D3], B, C -> [A3, B3, C3]"} or {@code "*"}. */
    public DagBuilder round(long round, String entries) {
        String spec = entries.strip();
        if (spec.equals("*")) {
            for (int a = 0; a < committee.size(); a++) add(round, a, "*");
            return this;
        }
        for (String entry : splitTopLevel(spec)) {
            String e = entry.strip();
            if (e.isEmpty()) continue;
            int arrow = e.indexOf("->");
            String who = arrow < 0 ? e : e.substring(0, arrow).strip();
            String parents = arrow < 0 ? "*" : e.substring(arrow + 2).strip();
            add(round, author(who), parents);
        }
        return this;
    }

    /** Fully connected rounds from..to (inclusive) for every validator. */
    public DagBuilder fullRounds(long from, long to) {
        for (long r = from; r <= to; r++) round(r, "*");
        return this;
    }

    /** Adds the certificate of (author, round) with parents given as {@code *}, {@code [-D3, -A3]} or {@code [A3, B3]}. */
    public Certificate add(long round, int author, String parentSpec) {
        Certificate c = build(round, author, resolve(round, parentSpec), ++timestamp);
        String key = name(author, round);
        if (byName.containsKey(key)) throw new IllegalArgumentException(key + " already exists");
        byName.put(key, c);
        return c;
    }

    /** A second, different certificate for (author, round), not registered (for equivocation tests). */
    public Certificate equivocation(long round, int author, String parentSpec) {
        return build(round, author, resolve(round, parentSpec), 1_000_000 + ++timestamp);
    }

    /** An unsigned certificate with exactly these parents. */
    public Certificate build(long round, int author, List<Digest> parents, long ts) {
        Header h = Header.of(committee.epoch(), round, author, ts, List.of(), parents);
        return new Certificate(h, SignerBitmap.EMPTY, List.of());
    }

    private List<Digest> resolve(long round, String spec) {
        String s = spec.strip();
        List<Digest> out = new ArrayList<>();
        if (s.equals("*") || s.equals("[*]")) {
            for (int a = 0; a < committee.size(); a++) {
                Certificate p = byName.get(name(a, round - 1));
                if (p != null) out.add(p.digest());
            }
            return out;
        }
        if (!s.startsWith("[") || !s.endsWith("]")) throw new IllegalArgumentException("bad parent list " + spec);
        List<String> items = new ArrayList<>();
        for (String item : s.substring(1, s.length() - 1).split(",")) if (!item.isBlank()) items.add(item.strip());
        boolean exclusions = !items.isEmpty() && items.stream().allMatch(i -> i.startsWith("-"));
        if (exclusions) {
            List<String> excluded = items.stream().map(i -> i.substring(1)).toList();
            for (int a = 0; a < committee.size(); a++) {
                String n = name(a, round - 1);
                if (byName.containsKey(n) && !excluded.contains(n)) out.add(byName.get(n).digest());
            }
            return out;
        }
        for (String item : items) {
            if (!NAME.matcher(item).matches()) throw new IllegalArgumentException("bad certificate name " + item);
            out.add(get(item).digest());
        }
        return out;
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '[') depth++;
            if (ch == ']') depth--;
            if (ch == ',' && depth == 0) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** Inserts every built certificate into a fresh DAG, in creation order; fails on anything but INSERTED. */
    public Dag dag(long gcDepth) {
        Dag dag = new Dag(committee, gcDepth);
        for (Certificate c : certificates()) {
            InsertOutcome o = dag.insert(c);
            if (!o.isInserted()) throw new IllegalStateException("could not insert " + c + ": " + o);
        }
        return dag;
    }
}
