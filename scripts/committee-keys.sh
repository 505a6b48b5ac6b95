#!/usr/bin/env bash
# Generates validator keys and the committee file (dev.shoal.sequencer.tools.CommitteeKeysMain):
# DIR/committee.json and DIR/validator-<i>.key (0600), i = committee index.
#
#   scripts/committee-keys.sh --validators 4 --out /tmp/committee                 # 127.0.0.1:9081..9084
#   scripts/committee-keys.sh --validators 4 --out DIR --address-template 'node-{i}.example:9000'
#   scripts/committee-keys.sh --validators 4 --out DIR --seed 7                   # reproducible: tests only
#
# Keys come from SecureRandom unless --seed is given. Existing keys are never overwritten
# without --force. --help lists every option. Exit status: 0 done, 1 failed, 2 bad arguments.
set -euo pipefail
caller_dir=$PWD
source "$(dirname "$0")/tools-classpath.sh"   # cds to the repository root
cp="$TOOLS_CP"                                # absolute, so relative paths stay the caller's
cd "$caller_dir"
exec java ${COMMITTEE_KEYS_JAVA_OPTS:-} -cp "$cp" dev.shoal.sequencer.tools.CommitteeKeysMain "$@"
