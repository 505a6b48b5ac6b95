package dev.shoal.sequencer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.support.KnownConfigKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Parses kubernetes/*.yaml and checks them against the application: probe paths, the container
 * port against quarkus.http.port, and that every SEQUENCER_/QUARKUS_ variable is a real key.
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map)) return null;
            cur = map(cur).get(p);
        }
        return cur;
    }

    private static Map<String, Object> find(String kind, String name) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in kubernetes/"));
    }

    private static Map<String, Object> validatorContainer() {
        Map<String, Object> sts = find("StatefulSet", "shoal-validator");
        return list(at(sts, "spec", "template", "spec", "containers")).stream().map(KubernetesManifestsTest::map)
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
        Map<String, Object> port = list(validatorContainer().get("ports")).stream().map(KubernetesManifestsTest::map)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertThat(port.get("containerPort")).isEqualTo(httpPort());
        Map<String, Object> service = find("Service", "shoal-validator");
        assertThat(list(at(service, "spec", "ports")).stream().map(KubernetesManifestsTest::map).map(p -> p.get("targetPort")))
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
                "SEQUENCER_DATA_DIR", "SEQUENCER_VALIDATOR_KEY");
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
        Map<String, Object> password = list(c.get("env")).stream().map(KubernetesManifestsTest::map)
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
}
