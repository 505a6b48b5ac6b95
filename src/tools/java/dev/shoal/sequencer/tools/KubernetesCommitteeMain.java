package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code kubernetes/generate-committee.sh}: a new committee for the manifests in kubernetes/
 * (keys from SecureRandom). Exit status 0 written, 1 failed, 2 bad arguments.
 */
public final class KubernetesCommitteeMain {
    static final String USAGE = """
            usage: kubernetes/generate-committee.sh [--validators N] [--namespace NS] [--out DIR] [--epoch E] [--force] [--stdout]

            Generates the validator keys (SecureRandom) and committee of the Kubernetes deployment, with
            validator i at shoal-validator-<i>.shoal-validator-peers.<NS>.svc.cluster.local:9000, and writes
            DIR/committee.json, DIR/validator-<i>.key and the manifests DIR/committee-configmap.yaml
            (ConfigMap shoal-committee) and DIR/validator-keys-secret.yaml (Secret shoal-validator-keys).

              --validators N   committee size (default 4, the replicas in kubernetes/)
              --namespace NS   namespace the committee runs in (default: default)
              --out DIR        output directory (default target/kubernetes-committee)
              --epoch E        committee epoch (default 0)
              --force          replace existing keys in DIR
              --stdout         also print both manifests on stdout (for | kubectl apply -f -)
              --help           this text
            """;

    private KubernetesCommitteeMain() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) System.exit(status);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int n = KubernetesCommittee.DEFAULT_VALIDATORS;
        String ns = "default";
        Path dir = Path.of("target", "kubernetes-committee");
        long epoch = 0;
        boolean force = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String k = args[i];
                switch (k) {
                    case "--help", "-h" -> { out.print(USAGE); return 0; }
                    case "--force" -> force = true;
                    case "--stdout" -> { /* handled by the script */ }
                    case "--validators", "--namespace", "--out", "--epoch" -> {
                        if (i + 1 >= args.length) throw new IllegalArgumentException(k + " needs a value");
                        String v = args[++i];
                        switch (k) {
                            case "--validators" -> n = intIn(k, v, 1, CommitteeKeysOptions.MAX_VALIDATORS);
                            case "--namespace" -> {
                                if (!KubernetesCommittee.isNamespace(v)) {
                                    throw new IllegalArgumentException("--namespace '" + v + "' is not a Kubernetes namespace name (lower-case letters, digits, '-', at most 63)");
                                }
                                ns = v;
                            }
                            case "--out" -> {
                                if (v.isBlank()) throw new IllegalArgumentException("--out must not be empty");
                                dir = Path.of(v);
                            }
                            default -> epoch = intIn(k, v, 0, Integer.MAX_VALUE);
                        }
                    }
                    default -> throw new IllegalArgumentException(k.startsWith("--") ? "unknown option " + k : "unexpected argument '" + k + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("generate-committee: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        CommitteeKeys keys = KubernetesCommittee.generate(n, epoch, ns);
        try {
            KubernetesCommittee.write(keys, ns, dir, force);
        } catch (CommitteeKeys.KeysExistException e) {
            err.println("generate-committee: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("generate-committee: cannot write " + dir + ": " + e);
            return 1;
        }
        CommitteeKeysMain.describe(keys, dir, "keys from SecureRandom, namespace " + ns, out);
        out.printf("  manifests: %s (ConfigMap %s), %s (Secret %s, 0600: keep it out of version control)%n",
                dir.resolve(KubernetesCommittee.CONFIGMAP_FILE), KubernetesCommittee.COMMITTEE_CONFIGMAP,
                dir.resolve(KubernetesCommittee.SECRET_FILE), KubernetesCommittee.KEYS_SECRET);
        if (n != KubernetesCommittee.DEFAULT_VALIDATORS) {
            out.printf("  note: kubernetes/ runs %d validators; for %d set the replicas of both StatefulSets to %d"
                    + " and the PodDisruptionBudget's maxUnavailable to %d%n", KubernetesCommittee.DEFAULT_VALIDATORS, n, n, (n - 1) / 3);
        }
        return 0;
    }

    private static int intIn(String key, String v, int min, int max) {
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + x);
        return x;
    }
}
