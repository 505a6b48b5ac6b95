package dev.shoal.sequencer.kubernetes;

import java.util.List;
import java.util.Map;

/** Walking parsed YAML (SnakeYAML's maps and lists) in the manifest tests. */
final class YamlTree {
    private YamlTree() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** The list, or an empty one where the key is absent. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** The value at a path of keys, or null where the path ends early. */
    static Object at(Map<String, Object> m, String... path) {
        Object cur = m;
        for (String p : path) {
            if (!(cur instanceof Map)) return null;
            cur = map(cur).get(p);
        }
        return cur;
    }
}
