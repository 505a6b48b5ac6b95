package dev.shoal.sequencer.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of the service's packages, read from the compiled classes with the JDK's jdeps:
 * no two packages depend on each other (directly or through others), the consensus core uses
 * nothing but the JDK and the Ed25519 arithmetic, and the service holds no tool or simulator code.
 */
class PackageDependenciesTest {
    private static final String BASE = "dev.shoal.sequencer.";
    private static final Path CLASSES = Path.of("target", "classes");
    /** Package -> the packages its classes use (project packages short, without BASE; others whole). */
    private static final Map<String, Set<String>> USES = new TreeMap<>();

    @BeforeAll
    static void readDependencies() {
        assertThat(CLASSES.resolve("dev/shoal/sequencer")).as("compiled service classes").isDirectory();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", CLASSES.toString());
        assertThat(code).as("jdeps exit code; stderr: %s", err).isZero();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "<from package>  -> <to package>  <module or 'not found'>"
            if (f.length < 3 || !f[1].equals("->") || !f[0].startsWith(BASE)) continue;
            String from = f[0].substring(BASE.length());
            String to = f[2].startsWith(BASE) ? f[2].substring(BASE.length()) : f[2];
            if (!from.equals(to)) USES.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
        }
        assertThat(USES).as("jdeps found the project's packages").containsKeys("core.types", "driver", "api");
    }

    @Test
    void noPackagesDependOnEachOther() {
        List<List<String>> cycles = cyclesAmongProjectPackages();
        assertThat(cycles).as("package cycles (each listed with the edges that close it): %s", describe(cycles)).isEmpty();
    }

    @Test
    void theCoreUsesOnlyTheJdkAndTheEd25519Arithmetic() {
        Map<String, Set<String>> outside = new TreeMap<>();
        USES.forEach((pkg, uses) -> {
            if (!pkg.startsWith("core.")) return;
            Set<String> bad = uses.stream()
                    .filter(u -> !u.startsWith("core.") && !u.startsWith("java.") && !u.startsWith("org.bouncycastle.math.ec.rfc8032"))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!bad.isEmpty()) outside.put(pkg, bad);
        });
        assertThat(outside).as("the core must stay pure: no I/O libraries, no framework, no other project package").isEmpty();
    }

    @Test
    void theCoreDoesNoFileOrNetworkIo() {
        Map<String, Set<String>> io = new TreeMap<>();
        USES.forEach((pkg, uses) -> {
            if (!pkg.startsWith("core.")) return;
            Set<String> bad = uses.stream().filter(u -> u.equals("java.io") || u.startsWith("java.nio.file")
                    || u.startsWith("java.nio.channels") || u.startsWith("java.net")).collect(Collectors.toCollection(TreeSet::new));
            if (!bad.isEmpty()) io.put(pkg, bad);
        });
        assertThat(io).isEmpty();
    }

    @Test
    void theServiceJarHoldsNoToolOrSimulatorCode() throws Exception {
        try (var files = Files.list(CLASSES.resolve("dev/shoal/sequencer"))) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("tools", "sim", "bench");
        }
    }

    @Test
    void onlyTheApiAndTheProbesUseTheRuntime() {
        Set<String> users = new TreeSet<>();
        USES.forEach((pkg, uses) -> {
            if (uses.contains("runtime")) users.add(pkg);
        });
        assertThat(users).as("packages that use the runtime (the wiring)").isSubsetOf("api", "api.problem", "health");
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted. */
    private static List<List<String>> cyclesAmongProjectPackages() {
        Map<String, Set<String>> graph = new HashMap<>();
        USES.forEach((pkg, uses) -> graph.put(pkg, uses.stream().filter(USES::containsKey).collect(Collectors.toSet())));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        for (String v : new TreeSet<>(graph.keySet())) {
            if (!index.containsKey(v)) connect(v, graph, index, low, stack, onStack, out);
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, Set<String> onStack, List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : new TreeSet<>(graph.getOrDefault(v, Set.of()))) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) out.add(component.stream().sorted().toList());
        }
    }

    private static String describe(List<List<String>> cycles) {
        StringBuilder b = new StringBuilder();
        for (List<String> c : cycles) {
            for (String p : c) {
                b.append("\n  ").append(p).append(" -> ")
                        .append(USES.get(p).stream().filter(c::contains).collect(Collectors.joining(", ")));
            }
        }
        return b.toString();
    }
}
