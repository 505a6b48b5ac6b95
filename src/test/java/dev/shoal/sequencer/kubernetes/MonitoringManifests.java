package dev.shoal.sequencer.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** Reads kubernetes/monitoring/: the dashboard's and the alert rules' PromQL, and the metric names they use. */
public final class MonitoringManifests {
    public static final Path DIR = Path.of("kubernetes", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\bsequencer_[a-z0-9_]+");

    private MonitoringManifests() {}

    /** Every target expression of the Grafana dashboard. */
    public static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("dashboard.json").toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) out.add(target.path("expr").asText());
        }
        return out;
    }

    /** The alert rules: name to expression. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alerts() throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) ((Map<String, Object>) yaml("alerts.yaml").get("spec")).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                out.put((String) rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> yaml(String file) throws IOException {
        try (Reader r = Files.newBufferedReader(DIR.resolve(file))) {
            return (Map<String, Object>) new Yaml().load(r);
        }
    }

    /** The project's metric names an expression uses (Prometheus form, e.g. sequencer_persist_latency_seconds_bucket). */
    public static Set<String> metricsIn(String expression) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(expression);
        while (m.find()) out.add(m.group());
        return out;
    }

    /** Every metric name the dashboard and the alerts use. */
    public static Set<String> metricsUsed() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String e : dashboardExpressions()) out.addAll(metricsIn(e));
        for (String e : alerts().values()) out.addAll(metricsIn(e));
        return out;
    }
}
