package dev.shoal.sequencer.kubernetes;

import static dev.shoal.sequencer.kubernetes.YamlTree.at;
import static dev.shoal.sequencer.kubernetes.YamlTree.list;
import static dev.shoal.sequencer.kubernetes.YamlTree.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The CloudNativePG overlay (kubernetes/cloudnative-pg/) against the base it patches and the
 * validator's settings: it lists exactly its files; its patches name objects, containers and
 * variables the base has (a typo would add a variable or delete nothing); one Cluster per
 * validator, named as the validator's database host expects, holding the database, owner and
 * password secret the validator uses; a required synchronous replica (the validator's safety
 * records must survive a failover); the committee's disruption budget over the database pods;
 * autovacuum on; WAL archived and a nightly backup of each.
 */
class CloudNativePgOverlayTest {
    private static final Path BASE = Path.of("kubernetes");
    private static final Path OVERLAY = BASE.resolve("cloudnative-pg");
    private static final String PLUGIN = "barman-cloud.cloudnative-pg.io";
    private static final List<Map<String, Object>> BASE_DOCS = new ArrayList<>();
    private static final List<Map<String, Object>> OVERLAY_DOCS = new ArrayList<>();
    private static Map<String, Object> kustomization;

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("kustomization.yaml")).sorted().toList()) {
                BASE_DOCS.addAll(docs(f));
            }
        }
        kustomization = docs(OVERLAY.resolve("kustomization.yaml")).get(0);
        for (Object r : list(kustomization.get("resources"))) {
            if (!"../".equals(r)) OVERLAY_DOCS.addAll(docs(OVERLAY.resolve((String) r)));
        }
    }

    private static List<Map<String, Object>> docs(Path f) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(f)) {
            for (Object doc : new Yaml().loadAll(r)) if (doc != null) out.add(map(doc));
        }
        return out;
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(at(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Map<String, Object> byName(Object items, String name) {
        return list(items).stream().map(YamlTree::map).filter(c -> name.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no entry named " + name));
    }

    private static Map<String, Object> patch(String file) throws IOException {
        return docs(OVERLAY.resolve(file)).get(0);
    }

    private static Map<String, Object> baseValidatorPod() {
        return map(at(named(BASE_DOCS, "StatefulSet", "shoal-validator"), "spec", "template", "spec"));
    }

    private static String env(Map<String, Object> container, String name) {
        return (String) byName(container.get("env"), name).get("value");
    }

    private static Map<String, Object> patchedValidator() throws IOException {
        return byName(at(patch("validator-database.yaml"), "spec", "template", "spec", "containers"), "validator");
    }

    private static List<Map<String, Object>> clusters() {
        return ofKind(OVERLAY_DOCS, "Cluster");
    }

    @Test
    void theKustomizationListsExactlyTheOverlaysFilesOnTopOfTheBase() throws IOException {
        Set<String> listed = new TreeSet<>();
        for (Object r : list(kustomization.get("resources"))) listed.add((String) r);
        for (Object p : list(kustomization.get("patches"))) listed.add((String) map(p).get("path"));
        assertThat(listed).contains("../");
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(OVERLAY)) {
            files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml")).forEach(present::add);
        }
        present.add("../");
        assertThat(listed).isEqualTo(present);
    }

    @Test
    void thePlainPostgresqlOfTheBaseIsDeletedByNamesItHas() throws IOException {
        List<Map<String, Object>> deletes = docs(OVERLAY.resolve("without-plain-postgres.yaml"));
        assertThat(deletes).isNotEmpty().allSatisfy(d -> assertThat(d.get("$patch")).isEqualTo("delete"));
        Set<String> deleted = new TreeSet<>();
        for (Map<String, Object> d : deletes) {
            named(BASE_DOCS, (String) d.get("kind"), (String) at(d, "metadata", "name")); // exists in the base
            deleted.add(d.get("kind") + "/" + at(d, "metadata", "name"));
        }
        Set<String> basePostgres = new TreeSet<>();
        for (Map<String, Object> d : BASE_DOCS) {
            if ("shoal-postgres".equals(at(d, "metadata", "labels", "app.kubernetes.io/name"))) {
                basePostgres.add(d.get("kind") + "/" + at(d, "metadata", "name"));
            }
        }
        assertThat(deleted).as("every plain PostgreSQL object of the base goes").isEqualTo(basePostgres);
    }

    @Test
    void theValidatorPatchReplacesVariablesTheBaseSets() throws IOException {
        Map<String, Object> p = patch("validator-database.yaml");
        named(BASE_DOCS, (String) p.get("kind"), (String) at(p, "metadata", "name"));
        Map<String, Object> pod = map(at(p, "spec", "template", "spec"));
        for (String containers : List.of("initContainers", "containers")) {
            for (Object c : list(pod.get(containers))) {
                String name = (String) map(c).get("name");
                Map<String, Object> base = byName(baseValidatorPod().get(containers), name); // the container exists
                for (Object e : list(map(c).get("env"))) {
                    String var = (String) map(e).get("name");
                    byName(base.get("env"), var); // a variable the base sets: the patch replaces it, adds nothing
                    assertThat((String) map(e).get("value")).as(var).contains("$(POD_INDEX)");
                }
                byName(base.get("env"), "POD_INDEX"); // what $(POD_INDEX) expands from
            }
        }
    }

    @Test
    void validatorIReachesTheReadWriteServiceOfClusterIAndItsDatabase() throws IOException {
        Map<String, Object> v = patchedValidator();
        URI reactive = URI.create(env(v, "QUARKUS_DATASOURCE_REACTIVE_URL").replace("$(POD_INDEX)", "0"));
        URI jdbc = URI.create(env(v, "QUARKUS_DATASOURCE_JDBC_URL").replace("$(POD_INDEX)", "0").substring("jdbc:".length()));
        assertThat(reactive.getScheme()).isEqualTo("postgresql");
        assertThat(jdbc).as("JDBC (schema migration) and reactive client reach the same database").isEqualTo(reactive);
        String hostPattern = env(v, "QUARKUS_DATASOURCE_REACTIVE_URL").replaceAll("^postgresql://([^:/]+).*$", "$1");
        String initHost = env(byName(at(patch("validator-database.yaml"), "spec", "template", "spec", "initContainers"),
                "wait-for-database"), "DATABASE_HOST");
        assertThat(initHost).as("the init container waits for the database the validator uses").isEqualTo(hostPattern);
        assertThat(hostPattern).isEqualTo("shoal-pg-$(POD_INDEX)-rw"); // the operator's Service of the primary
        assertThat(reactive.getPort()).isEqualTo(5432);

        String user = (String) at(named(BASE_DOCS, "ConfigMap", "shoal-validator-config"), "data", "QUARKUS_DATASOURCE_USERNAME");
        Map<String, Object> password = map(at(byName(byName(baseValidatorPod().get("containers"), "validator").get("env"),
                "QUARKUS_DATASOURCE_PASSWORD"), "valueFrom", "secretKeyRef"));
        assertThat(password.get("key")).as("a basic-auth Secret's key").isEqualTo("password");
        for (Map<String, Object> c : clusters()) {
            assertThat(reactive.getPath()).isEqualTo("/" + at(c, "spec", "bootstrap", "initdb", "database"));
            assertThat(at(c, "spec", "bootstrap", "initdb", "owner")).isEqualTo(user);
            assertThat(at(c, "spec", "bootstrap", "initdb", "secret", "name")).isEqualTo(password.get("name"));
        }
    }

    @Test
    void oneClusterPerValidatorNamedByItsIndex() {
        int validators = (Integer) at(named(BASE_DOCS, "StatefulSet", "shoal-validator"), "spec", "replicas");
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> c : clusters()) {
            String name = (String) at(c, "metadata", "name");
            names.add(name);
            assertThat(name).isEqualTo("shoal-pg-" + at(c, "metadata", "labels", "shoal.dev/validator-index"));
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < validators; i++) expected.add("shoal-pg-" + i);
        assertThat(names).isEqualTo(expected);
    }

    @Test
    void everyClusterHasARequiredSynchronousReplicaAndVacuums() {
        for (Map<String, Object> c : clusters()) {
            String name = (String) at(c, "metadata", "name");
            int instances = (Integer) at(c, "spec", "instances");
            assertThat(instances).as(name + ": a primary and a replica").isGreaterThanOrEqualTo(2);
            Map<String, Object> sync = map(at(c, "spec", "postgresql", "synchronous"));
            assertThat((Integer) sync.get("number")).as(name + ": synchronous replicas").isBetween(1, instances - 1);
            assertThat(sync.get("dataDurability")).as(name + ": writes wait for the replica rather than risk a lost vote")
                    .isIn("required", null); // required is the operator's default
            Object autovacuum = at(c, "spec", "postgresql", "parameters", "autovacuum");
            assertThat(autovacuum).as(name + ": autovacuum").isNotIn("off", "false", false);
            assertThat(at(c, "spec", "affinity", "enablePodAntiAffinity")).as(name + ": instances on different nodes").isEqualTo(true);
        }
    }

    /** A drain may take one member's pod at a time, database pods included, and must be able to evict them at all. */
    @Test
    void theCommitteesDisruptionBudgetCoversTheDatabasePodsAlone() {
        Map<String, Object> selector = map(at(named(BASE_DOCS, "PodDisruptionBudget", "shoal-committee"), "spec", "selector", "matchLabels"));
        for (Map<String, Object> c : clusters()) {
            Map<String, Object> podLabels = map(at(c, "spec", "inheritedMetadata", "labels"));
            assertThat(podLabels).as("the database pods carry the budget's labels").containsAllEntriesOf(selector);
            assertThat(at(c, "spec", "enablePDB")).as("no second budget over the same pods").isEqualTo(false);
        }
    }

    @Test
    void everyClusterArchivesWalAndHasANightlyBackup() {
        String store = (String) at(ofKind(OVERLAY_DOCS, "ObjectStore").get(0), "metadata", "name");
        assertThat(ofKind(OVERLAY_DOCS, "ObjectStore")).hasSize(1);
        List<Map<String, Object>> backups = ofKind(OVERLAY_DOCS, "ScheduledBackup");
        for (Map<String, Object> c : clusters()) {
            String name = (String) at(c, "metadata", "name");
            Map<String, Object> plugin = byName(at(c, "spec", "plugins"), PLUGIN);
            assertThat(plugin.get("isWALArchiver")).as(name + " archives WAL").isEqualTo(true);
            assertThat(at(plugin, "parameters", "barmanObjectName")).isEqualTo(store);
            List<Map<String, Object>> mine = backups.stream().filter(b -> name.equals(at(b, "spec", "cluster", "name"))).toList();
            assertThat(mine).as(name + " has one scheduled backup").hasSize(1);
            Map<String, Object> b = mine.get(0);
            assertThat(at(b, "spec", "method")).isEqualTo("plugin");
            assertThat(at(b, "spec", "pluginConfiguration", "name")).isEqualTo(PLUGIN);
            assertThat(((String) at(b, "spec", "schedule")).trim().split("\\s+")).as("six cron fields, seconds first").hasSize(6);
        }
        assertThat(backups).hasSameSizeAs(clusters());
    }
}
