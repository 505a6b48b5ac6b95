package dev.shoal.sequencer.kubernetes;

import static dev.shoal.sequencer.kubernetes.YamlTree.at;
import static dev.shoal.sequencer.kubernetes.YamlTree.list;
import static dev.shoal.sequencer.kubernetes.YamlTree.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.sequencer.node.KeyFile;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.node.CommitteeFile;
import dev.shoal.sequencer.support.KnownConfigKeys;
import dev.shoal.sequencer.tools.CommitteeKeys;
import dev.shoal.sequencer.tools.KubernetesCommittee;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Parses kubernetes/*.yaml and checks them against the application and the committee generator
 * (kubernetes/generate-committee.sh = tools.KubernetesCommittee): probe paths and the startup
 * budget, the HTTP and peer ports, that every SEQUENCER_/QUARKUS_ variable is a real key, that pod
 * i gets validator i's key, the committee and database i, the disruption budget (f of n), and
 * requests within limits.
 */
class KubernetesManifestsTest {
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader r = Files.newBufferedReader(f)) {
                    for (Object doc : new Yaml().loadAll(r)) {
                        if (doc != null) DOCS.add(map(doc));
                    }
                }
            }
        }
        assertThat(DOCS).isNotEmpty();
    }

    private static Map<String, Object> find(String kind, String name) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in kubernetes/"));
    }

    private static Map<String, Object> validatorContainer() {
        Map<String, Object> sts = find("StatefulSet", "shoal-validator");
        return list(at(sts, "spec", "template", "spec", "containers")).stream().map(YamlTree::map)
                .filter(c -> "validator".equals(c.get("name"))).findFirst().orElseThrow();
    }

    private static int httpPort() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port", "8080"));
    }

    @Test
    void probesUseTheQuarkusHealthEndpointsOnTheHttpPort() {
        Map<String, Object> c = validatorContainer();
        assertThat(at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat(at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(at(c, "startupProbe", "httpGet", "path")).isEqualTo("/q/health/started");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(at(c, probe, "httpGet", "port")).as(probe + " port").isIn("http", 8080);
        }
    }

    @Test
    void containerPortIsQuarkusHttpPort() throws IOException {
        Map<String, Object> port = list(validatorContainer().get("ports")).stream().map(YamlTree::map)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(port.get("containerPort")).isEqualTo(httpPort());
        Map<String, Object> service = find("Service", "shoal-validator");
        assertThat(list(at(service, "spec", "ports")).stream().map(YamlTree::map).map(p -> p.get("targetPort")))
                .contains("http");
    }

    @Test
    void everyApplicationVariableIsARealConfigKey() {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> d : DOCS) {
            if ("ConfigMap".equals(d.get("kind"))) names.addAll(map(d.get("data")).keySet());
        }
        for (Object e : list(validatorContainer().get("env"))) names.add((String) map(e).get("name"));
        Set<String> app = new TreeSet<>(names.stream().filter(n -> n.startsWith("SEQUENCER_") || n.startsWith("QUARKUS_")).toList());

        assertThat(app).contains("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_PASSWORD",
                "SEQUENCER_DATA_DIR", "SEQUENCER_COMMITTEE_FILE", "SEQUENCER_VALIDATOR_KEY_FILE");
        assertThat(app).allSatisfy(n -> assertThat(KnownConfigKeys.isKnownEnv(n)).as(n + " is a config key of the application").isTrue());
    }

    @Test
    void theKeyCheckRejectsUnknownKeys() {
        // Guards the check above: it must be able to fail.
        assertThat(KnownConfigKeys.isKnownEnv("SEQUENCER_VALIDATOR_KEYS")).isFalse();
        assertThat(KnownConfigKeys.isKnownEnv("QUARKUS_DATASOURCE_REACTIVE_URI")).isFalse();
        assertThat(KnownConfigKeys.isKnownEnv("SEQUENCER_DATADIR")).isFalse();
        assertThat(KnownConfigKeys.isKnownEnv("QUARKUS_HTTP_PORT")).isTrue();
    }

    @Test
    void secretsAreReferencedNeverCommitted() {
        assertThat(DOCS).noneMatch(d -> "Secret".equals(d.get("kind")));
        Map<String, Object> c = validatorContainer();
        Map<String, Object> password = list(c.get("env")).stream().map(YamlTree::map)
                .filter(e -> "QUARKUS_DATASOURCE_PASSWORD".equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(at(password, "valueFrom", "secretKeyRef", "name")).isEqualTo("shoal-db");
        assertThat(map(find("ConfigMap", "shoal-validator-config").get("data")).keySet())
                .noneMatch(k -> k.contains("PASSWORD") || k.endsWith("_KEY"));
    }

    @Test
    void validatorDataDirectoryIsAVolumeClaim() {
        Map<String, Object> sts = find("StatefulSet", "shoal-validator");
        List<Object> claims = list(at(sts, "spec", "volumeClaimTemplates"));
        assertThat(claims).extracting(o -> at(map(o), "metadata", "name")).contains("data");
        assertThat(list(validatorContainer().get("volumeMounts"))).extracting(o -> map(o).get("mountPath")).contains("/var/lib/shoal");
        assertThat(map(find("ConfigMap", "shoal-validator-config").get("data"))).containsEntry("SEQUENCER_DATA_DIR", "/var/lib/shoal");
        assertThat(at(validatorContainer(), "resources", "requests")).isNotNull();
        assertThat(at(validatorContainer(), "resources", "limits")).isNotNull();
    }

    // ---- the committee: the StatefulSet, its Services, the generated ConfigMap and Secret ----

    private static int replicas(String statefulSet) {
        return (Integer) at(find("StatefulSet", statefulSet), "spec", "replicas");
    }

    private static List<Map<String, Object>> maps(Object o) {
        return list(o).stream().map(YamlTree::map).toList();
    }

    private static Map<String, Object> named(Object list, String name) {
        return maps(list).stream().filter(m -> name.equals(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + list));
    }

    /** The container's environment as the kubelet builds it: envFrom ConfigMaps, then env in order, $(VAR) expanded. */
    private static Map<String, String> environment(Map<String, Object> container, int podIndex) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> from : maps(container.get("envFrom"))) {
            String cm = (String) at(from, "configMapRef", "name");
            map(find("ConfigMap", cm).get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        for (Map<String, Object> e : maps(container.get("env"))) {
            String name = (String) e.get("name");
            if (e.get("value") != null) {
                env.put(name, expand((String) e.get("value"), env, name));
            } else if ("metadata.labels['apps.kubernetes.io/pod-index']".equals(at(e, "valueFrom", "fieldRef", "fieldPath"))) {
                env.put(name, Integer.toString(podIndex));
            } else {
                env.put(name, "<" + name + " from " + map(e.get("valueFrom")).keySet() + ">");
            }
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion; a reference to a variable not defined before it fails the test. */
    private static String expand(String value, Map<String, String> defined, String where) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            assertThat(defined).as(where + " refers to $(" + ref + "), which must be defined before it").containsKey(ref);
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(defined.get(ref)));
        }
        return m.appendTail(out).toString();
    }

    private static Map<String, Object> volumeMount(Map<String, Object> container, String volume) {
        return maps(container.get("volumeMounts")).stream().filter(v -> volume.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no mount of volume " + volume));
    }

    private static Map<String, Object> volume(String name) {
        return named(at(find("StatefulSet", "shoal-validator"), "spec", "template", "spec", "volumes"), name);
    }

    /** The volume and mount through which the container sees the file at path. */
    private static Map.Entry<Map<String, Object>, Map<String, Object>> mountOf(Map<String, Object> container, String path) {
        for (Map<String, Object> m : maps(container.get("volumeMounts"))) {
            String mp = (String) m.get("mountPath");
            if (path.equals(mp) || path.startsWith(mp + "/")) return Map.entry(m, volume((String) m.get("name")));
        }
        throw new AssertionError("no volume mount holds " + path);
    }

    private static Map<String, Object> yamlFile(Path f) throws IOException {
        try (Reader r = Files.newBufferedReader(f)) {
            return map(new Yaml().load(r));
        }
    }

    @Test
    void replicasAreTheCommitteeSizeTheGeneratorDefaultsTo() {
        assertThat(replicas(KubernetesCommittee.STATEFULSET)).isEqualTo(KubernetesCommittee.DEFAULT_VALIDATORS);
        assertThat(replicas("shoal-postgres")).as("one database per validator").isEqualTo(KubernetesCommittee.DEFAULT_VALIDATORS);
        assertThat(at(find("StatefulSet", "shoal-validator"), "spec", "serviceName")).isEqualTo(KubernetesCommittee.PEER_SERVICE);
    }

    @Test
    void disruptionBudgetAllowsAtMostFOfTheCommitteeDown() {
        int n = replicas("shoal-validator");
        List<Map<String, Object>> pdbs = DOCS.stream().filter(d -> "PodDisruptionBudget".equals(d.get("kind"))).toList();
        assertThat(pdbs).hasSize(1);
        Map<String, Object> pdb = pdbs.get(0);
        assertThat(at(pdb, "spec", "maxUnavailable")).isEqualTo((n - 1) / 3);
        assertThat(at(pdb, "spec", "minAvailable")).isNull();
        // One budget over the validators and their databases: a validator is out when either is.
        Map<String, Object> selector = map(at(pdb, "spec", "selector", "matchLabels"));
        for (String sts : List.of("shoal-validator", "shoal-postgres")) {
            assertThat(map(at(find("StatefulSet", sts), "spec", "template", "metadata", "labels"))).as(sts + " pods covered")
                    .containsAllEntriesOf(selector);
        }
    }

    @Test
    void peerPortIsTheSameInTheContainerTheHeadlessServiceAndTheGeneratedAddresses() {
        int containerPort = (Integer) named(validatorContainer().get("ports"), "peer").get("containerPort");
        assertThat(containerPort).isEqualTo(KubernetesCommittee.PEER_PORT);

        Map<String, Object> peers = find("Service", KubernetesCommittee.PEER_SERVICE);
        assertThat(at(peers, "spec", "clusterIP")).isEqualTo("None");
        Map<String, Object> port = named(at(peers, "spec", "ports"), "peer");
        assertThat(port.get("port")).isEqualTo(containerPort);
        assertThat(port.get("targetPort")).isIn("peer", containerPort);
        assertThat(map(at(peers, "spec", "selector"))).isEqualTo(map(at(find("StatefulSet", "shoal-validator"), "spec", "selector", "matchLabels")));

        // The node listens on its committee address's port unless sequencer.network.port says otherwise.
        String networkPort = environment(validatorContainer(), 0).getOrDefault("SEQUENCER_NETWORK_PORT", "0");
        assertThat(networkPort).isIn("0", Integer.toString(containerPort));

        CommitteeKeys keys = KubernetesCommittee.generate(replicas("shoal-validator"), 0, "shoal-test");
        for (int i = 0; i < keys.size(); i++) {
            String address = keys.committee().validator(i).address();
            assertThat(address).as("address of validator " + i)
                    .isEqualTo("shoal-validator-" + i + "." + at(find("StatefulSet", "shoal-validator"), "spec", "serviceName")
                            + ".shoal-test.svc.cluster.local:" + containerPort);
        }
    }

    @Test
    void everyValidatorGetsItsOwnKeyAndTheCommitteeFromTheGeneratedManifests(@TempDir Path dir) throws Exception {
        int n = replicas("shoal-validator");
        CommitteeKeys keys = KubernetesCommittee.generate(n, 0, "shoal-test");
        KubernetesCommittee.write(keys, "shoal-test", dir, false);
        Map<String, Object> configMap = yamlFile(dir.resolve(KubernetesCommittee.CONFIGMAP_FILE));
        Map<String, Object> secret = yamlFile(dir.resolve(KubernetesCommittee.SECRET_FILE));
        assertThat(configMap.get("kind")).isEqualTo("ConfigMap");
        assertThat(secret.get("kind")).isEqualTo("Secret");
        assertThat(at(secret, "metadata", "namespace")).isEqualTo("shoal-test");
        assertThat(Files.getPosixFilePermissions(dir.resolve(KubernetesCommittee.SECRET_FILE)))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Map<String, Object> c = validatorContainer();
        for (int i = 0; i < n; i++) {
            Map<String, String> env = environment(c, i);
            // The committee file: in the ConfigMap the StatefulSet mounts, readable by the node's own parser.
            String committeePath = env.get("SEQUENCER_COMMITTEE_FILE");
            var committeeMount = mountOf(c, committeePath);
            assertThat(at(committeeMount.getValue(), "configMap", "name")).isEqualTo(at(configMap, "metadata", "name"));
            String committeeKey = committeePath.substring(((String) committeeMount.getKey().get("mountPath")).length() + 1);
            Committee committee = CommitteeFile.parse((String) map(configMap.get("data")).get(committeeKey), "generated ConfigMap");
            assertThat(committee.size()).isEqualTo(n);

            // The key file: the pod's own entry of the Secret the StatefulSet mounts.
            String keyPath = env.get("SEQUENCER_VALIDATOR_KEY_FILE");
            var keyMount = mountOf(c, keyPath);
            assertThat(keyMount.getKey().get("mountPath")).as("the key is mounted as a single file").isEqualTo(keyPath);
            assertThat(at(keyMount.getValue(), "secret", "secretName")).isEqualTo(at(secret, "metadata", "name"));
            String entry = expand((String) keyMount.getKey().get("subPathExpr"), env, "subPathExpr");
            String b64 = (String) map(secret.get("data")).get(entry);
            assertThat(b64).as("Secret entry " + entry + " for pod " + i).isNotNull();
            KeyPair key = KeyFile.parse(new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII), "Secret entry " + entry);
            assertThat(committee.indexOf(key.publicKey())).as("pod " + i + " is validator " + i).hasValue(i);
            assertThat(committee.validator(i).name()).isEqualTo("shoal-validator-" + i);
        }
        assertThat(map(secret.get("data"))).hasSize(n);

        // Existing keys are kept unless replacing them is asked for.
        assertThatThrownBy(() -> KubernetesCommittee.write(KubernetesCommittee.generate(n, 0, "shoal-test"), "shoal-test", dir, false))
                .isInstanceOf(CommitteeKeys.KeysExistException.class);
    }

    @Test
    void podIndexComesFromThePodOrdinalLabelAndReferencesResolve() {
        Map<String, Object> sts = find("StatefulSet", "shoal-validator");
        List<Map<String, Object>> containers = new ArrayList<>(maps(at(sts, "spec", "template", "spec", "initContainers")));
        containers.addAll(maps(at(sts, "spec", "template", "spec", "containers")));
        for (Map<String, Object> c : containers) {
            Object pod = at(named(c.get("env"), "POD_INDEX"), "valueFrom", "fieldRef", "fieldPath");
            assertThat(pod).as(c.get("name") + " POD_INDEX").isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
            environment(c, 2); // every $(VAR) is defined before it is used
        }
    }

    @Test
    void everyValidatorsDatabaseIsThePostgresPodWithItsOrdinal() {
        Map<String, Object> pg = find("StatefulSet", "shoal-postgres");
        String pgService = (String) at(pg, "spec", "serviceName");
        Map<String, Object> svc = find("Service", pgService);
        assertThat(at(svc, "spec", "clusterIP")).as("per-pod DNS names need a headless Service").isEqualTo("None");
        assertThat(map(at(svc, "spec", "selector"))).isEqualTo(map(at(pg, "spec", "selector", "matchLabels")));
        Map<String, Object> pgContainer = named(at(pg, "spec", "template", "spec", "containers"), "postgres");
        int pgPort = (Integer) named(pgContainer.get("ports"), "postgres").get("containerPort");
        assertThat(named(at(svc, "spec", "ports"), "postgres").get("port")).isEqualTo(pgPort);
        String pgDb = (String) named(pgContainer.get("env"), "POSTGRES_DB").get("value");
        String pgUser = (String) named(pgContainer.get("env"), "POSTGRES_USER").get("value");
        int pgReplicas = replicas("shoal-postgres");

        java.util.Set<String> hosts = new java.util.HashSet<>();
        for (int i = 0; i < replicas("shoal-validator"); i++) {
            Map<String, String> env = environment(validatorContainer(), i);
            java.net.URI reactive = java.net.URI.create(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
            java.net.URI jdbc = java.net.URI.create(env.get("QUARKUS_DATASOURCE_JDBC_URL").substring("jdbc:".length()));
            for (java.net.URI u : List.of(reactive, jdbc)) {
                assertThat(u.getScheme()).isEqualTo("postgresql");
                assertThat(u.getHost()).as("validator " + i + " database host").isEqualTo("shoal-postgres-" + i + "." + pgService);
                assertThat(u.getPort()).isEqualTo(pgPort);
                assertThat(u.getPath()).isEqualTo("/" + pgDb);
            }
            assertThat(i).as("postgres pod " + i + " exists").isLessThan(pgReplicas);
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(pgUser);
            hosts.add(reactive.getHost());
            // The init container waits for the same database.
            Map<String, Object> init = named(at(find("StatefulSet", "shoal-validator"), "spec", "template", "spec", "initContainers"),
                    "wait-for-database");
            assertThat(environment(init, i).get("DATABASE_HOST")).isEqualTo(reactive.getHost());
        }
        assertThat(hosts).as("no two validators share a database").hasSize(replicas("shoal-validator"));
    }

    @Test
    void startupProbeLeavesAtLeastTenMinutesForRecovery() {
        Map<String, Object> probe = map(validatorContainer().get("startupProbe"));
        int period = (Integer) probe.getOrDefault("periodSeconds", 10);
        int failures = (Integer) probe.getOrDefault("failureThreshold", 3);
        int delay = (Integer) probe.getOrDefault("initialDelaySeconds", 0);
        assertThat(delay + period * failures).as("startup budget in seconds").isGreaterThanOrEqualTo(600);
    }

    @Test
    void everyContainerRequestsNoMoreThanItsLimits() {
        int checked = 0;
        for (Map<String, Object> sts : DOCS.stream().filter(d -> "StatefulSet".equals(d.get("kind"))).toList()) {
            List<Map<String, Object>> containers = new ArrayList<>(maps(at(sts, "spec", "template", "spec", "initContainers")));
            containers.addAll(maps(at(sts, "spec", "template", "spec", "containers")));
            for (Map<String, Object> c : containers) {
                String what = at(sts, "metadata", "name") + "/" + c.get("name");
                Map<String, Object> requests = map(at(c, "resources", "requests")), limits = map(at(c, "resources", "limits"));
                assertThat(requests).as(what + " requests").containsKeys("cpu", "memory");
                assertThat(limits).as(what + " limits").containsKeys("cpu", "memory");
                assertThat(cpuMillis(requests.get("cpu"))).as(what + " cpu").isLessThanOrEqualTo(cpuMillis(limits.get("cpu")));
                assertThat(bytes(requests.get("memory"))).as(what + " memory").isLessThanOrEqualTo(bytes(limits.get("memory")));
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(3);
    }

    @Test
    void quantityParsingIsRight() {
        // Guards the check above.
        assertThat(cpuMillis("500m")).isEqualTo(500);
        assertThat(cpuMillis("2")).isEqualTo(2000);
        assertThat(cpuMillis(1)).isEqualTo(1000);
        assertThat(cpuMillis("0.5")).isEqualTo(500);
        assertThat(bytes("1Gi")).isEqualTo(1L << 30);
        assertThat(bytes("512Mi")).isLessThan(bytes("1G"));
        assertThat(bytes("1500M")).isGreaterThan(bytes("1Gi"));
    }

    private static long cpuMillis(Object q) {
        String s = String.valueOf(q);
        if (s.endsWith("m")) return Long.parseLong(s.substring(0, s.length() - 1));
        return new java.math.BigDecimal(s).movePointRight(3).longValueExact();
    }

    private static long bytes(Object q) {
        String s = String.valueOf(q);
        String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) return Long.parseLong(s.substring(0, s.length() - u[0].length())) * Long.parseLong(u[1]);
        }
        return Long.parseLong(s);
    }
}
