package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * The committee of the Kubernetes deployment in {@code kubernetes/}: validator i is pod
 * {@code shoal-validator-<i>} of the StatefulSet, reachable by its peers at
 * {@code shoal-validator-<i>.shoal-validator-peers.<namespace>.svc.cluster.local:9000} through the
 * headless Service, and reads {@code validator-<i>.key} from the Secret and {@code committee.json}
 * from the ConfigMap written here. The names and the port are the ones the manifests use
 * (KubernetesManifestsTest checks that they agree).
 */
public final class KubernetesCommittee {
    /** Validators of the committee in kubernetes/ (the StatefulSet's replicas). */
    public static final int DEFAULT_VALIDATORS = 4;
    /** Peer port every validator listens on (container port "peer", headless Service port). */
    public static final int PEER_PORT = 9000;
    public static final String STATEFULSET = "shoal-validator";
    public static final String PEER_SERVICE = "shoal-validator-peers";
    public static final String COMMITTEE_CONFIGMAP = "shoal-committee";
    public static final String KEYS_SECRET = "shoal-validator-keys";
    public static final String CONFIGMAP_FILE = "committee-configmap.yaml";
    public static final String SECRET_FILE = "validator-keys-secret.yaml";

    private KubernetesCommittee() {}

    /** Pod name of validator i, also its name in the committee. */
    public static String name(int i) {
        return STATEFULSET + "-" + i;
    }

    /** Peer address of validator i: the pod's stable DNS name under the headless Service. */
    public static String address(int i, String namespace) {
        return name(i) + "." + PEER_SERVICE + "." + namespace + ".svc.cluster.local:" + PEER_PORT;
    }

    /** A new committee of n validators with keys from SecureRandom. */
    public static CommitteeKeys generate(int n, long epoch, String namespace) {
        return CommitteeKeys.random(n, epoch, KubernetesCommittee::name, i -> address(i, namespace));
    }

    /** True for a valid namespace name (an RFC 1123 label). */
    public static boolean isNamespace(String ns) {
        return ns.length() <= 63 && ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }

    /** The ConfigMap holding committee.json. */
    public static String configMapYaml(CommitteeKeys keys, String namespace) {
        StringBuilder y = header("ConfigMap", COMMITTEE_CONFIGMAP, namespace, "public committee: keys, stakes, peer addresses");
        y.append("data:\n  committee.json: |\n");
        for (String line : keys.committeeJson().split("\n")) y.append("    ").append(line).append('\n');
        return y.toString();
    }

    /** The Secret holding every validator-i.key (each pod mounts only its own). */
    public static String secretYaml(CommitteeKeys keys, String namespace) {
        StringBuilder y = header("Secret", KEYS_SECRET, namespace, "validator secret keys: never commit this file");
        y.append("type: Opaque\ndata:\n");
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < keys.size(); i++) {
            y.append("  ").append(CommitteeKeys.keyFileName(i)).append(": ")
                    .append(b64.encodeToString(keys.keyFileText(i).getBytes(StandardCharsets.US_ASCII))).append('\n');
        }
        return y.toString();
    }

    private static StringBuilder header(String kind, String name, String namespace, String comment) {
        return new StringBuilder()
                .append("# ").append(comment).append(" (written by kubernetes/generate-committee.sh)\n")
                .append("apiVersion: v1\nkind: ").append(kind).append('\n')
                .append("metadata:\n  name: ").append(name).append("\n  namespace: ").append(namespace).append('\n')
                .append("  labels:\n    app.kubernetes.io/name: shoal-validator\n    app.kubernetes.io/part-of: shoal-sequencer\n");
    }

    /**
     * Writes committee.json, the keys, and both manifests into dir (the Secret manifest 0600);
     * refuses to replace existing keys unless {@code force}.
     */
    public static void write(CommitteeKeys keys, String namespace, Path dir, boolean force)
            throws IOException, CommitteeKeys.KeysExistException {
        keys.writeNewFiles(dir, force);
        Files.writeString(dir.resolve(CONFIGMAP_FILE), configMapYaml(keys, namespace), StandardCharsets.UTF_8);
        Path secret = dir.resolve(SECRET_FILE);
        Files.deleteIfExists(secret);
        Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, secretYaml(keys, namespace), StandardCharsets.US_ASCII);
    }
}
