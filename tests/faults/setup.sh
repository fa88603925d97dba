#!/usr/bin/env bash
# Fixture: the data container of the fault cases (see faults_data.py), written once and
# reused (objects already present and correct are not uploaded again); records the container
# and the manifest of expected md5s in $FAULTS_STATE.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"
require_swift
container=${FAULTS_CONTAINER:-swiftfs-faults}
manifest="${FAULTS_STATE}.md5"
if ! timeout 600 /usr/bin/python3 "$(dirname "$0")/faults_data.py" setup "$container" "$manifest"; then
  echo "FAIL: could not create the test data"
  exit 1
fi
printf '%s\n%s\n' "$container" "$manifest" >"$FAULTS_STATE"
log "data ready in $container"
