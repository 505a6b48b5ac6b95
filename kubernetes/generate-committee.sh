#!/usr/bin/env bash
# Generates the committee of the Kubernetes deployment in this directory: validator keys from
# SecureRandom, committee.json with validator i at
# shoal-validator-<i>.shoal-validator-peers.<NS>.svc.cluster.local:9000, and the manifests
# DIR/committee-configmap.yaml (ConfigMap shoal-committee) and DIR/validator-keys-secret.yaml
# (Secret shoal-validator-keys, 0600: never commit it).
#
#   kubernetes/generate-committee.sh [--validators 4] [--namespace NS] [--out DIR] [--force] [--stdout]
#   kubectl apply -n NS -f DIR/committee-configmap.yaml -f DIR/validator-keys-secret.yaml
#   kubectl apply -n NS -k kubernetes/
#
# With kubectl on PATH the two manifests are re-rendered by `kubectl create ... --dry-run=client
# -o yaml` from the same files; without it the generator's own YAML is kept. --stdout prints both
# manifests on stdout (the summary then goes to stderr). Exit status: 0 done, 1 failed, 2 bad arguments.
set -euo pipefail
caller_dir=$PWD
ns=default
out=target/kubernetes-committee
out_given=0
help=0
to_stdout=0
args=()
while (($#)); do
  case "$1" in
    --namespace) ns=${2-}; args+=("$1" "${2-}"); shift $(($# >= 2 ? 2 : 1)) ;;
    --out) out=${2-}; out_given=1; shift $(($# >= 2 ? 2 : 1)) ;;
    --stdout) to_stdout=1; shift ;;
    --help|-h) help=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ -n "$out" ]] || { echo "generate-committee: --out needs a value" >&2; exit 2; }
source "$(dirname "$0")/../scripts/tools-classpath.sh"   # cds to the repository root
root=$PWD
cp="$TOOLS_CP"
if ((help)); then exec java -cp "$cp" dev.shoal.sequencer.tools.KubernetesCommitteeMain --help; fi
# The default output is under the repository's target/ (ignored by git); a given one is the caller's.
if ((out_given)); then cd "$caller_dir"; fi
# With --stdout the manifests own stdout and the summary goes to stderr (fd 3 is where it goes).
if ((to_stdout)); then exec 3>&2; else exec 3>&1; fi
java -cp "$cp" dev.shoal.sequencer.tools.KubernetesCommitteeMain "${args[@]}" --out "$out" >&3
if command -v kubectl >/dev/null 2>&1; then
  key_args=()
  for f in "$out"/validator-*.key; do key_args+=("--from-file=$(basename "$f")=$f"); done
  kubectl create configmap shoal-committee -n "$ns" --from-file=committee.json="$out/committee.json" \
    --dry-run=client -o yaml >"$out/committee-configmap.yaml"
  (umask 077; kubectl create secret generic shoal-validator-keys -n "$ns" "${key_args[@]}" \
    --dry-run=client -o yaml >"$out/validator-keys-secret.yaml")
  echo "  (manifests rendered by kubectl create --dry-run=client)" >&3
fi
if ((to_stdout)); then
  cat "$out/committee-configmap.yaml"; echo "---"; cat "$out/validator-keys-secret.yaml"
fi
