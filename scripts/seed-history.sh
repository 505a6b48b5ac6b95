#!/usr/bin/env bash
# Writes a valid, signed synthetic history into a database, as one validator of an N-validator
# committee persisted it, plus the committee file and validator keys, so the real service can be
# started as that validator on that database (dev.shoal.sequencer.tools.SeedHistoryMain).
#
#   scripts/seed-history.sh --jdbc-url jdbc:postgresql://127.0.0.1:5432/shoal_seed --validators 4 --rounds 1000 --out /tmp/seed [--user postgres] [--validator 0]
#
# Then start the service as validator I on it:
#   SEQUENCER_COMMITTEE_FILE=/tmp/seed/committee.json SEQUENCER_VALIDATOR_KEY_FILE=/tmp/seed/validator-0.key \
#   QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/shoal_seed \
#   QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/shoal_seed java -jar target/quarkus-app/quarkus-run.jar
#
# --help lists every option. Exit status: 0 done, 1 failed, 2 bad arguments.
set -euo pipefail
source "$(dirname "$0")/tools-classpath.sh"
exec java ${SEED_JAVA_OPTS:--Xmx4g} -cp "$TOOLS_CP" dev.shoal.sequencer.tools.SeedHistoryMain "$@"
