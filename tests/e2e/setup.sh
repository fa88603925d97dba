#!/usr/bin/env bash
# Fixture: creates the shared data container (see e2e_data.py) and records its name and the
# directory of local copies in $E2E_STATE for the cases.
. "$(dirname "$0")/lib.sh"
require_swift
container="swiftfs-e2e-$(date +%s)-$$"
data="${E2E_STATE}.data"
rm -rf "$data"
log "creating $container (10,050 objects, 100 MiB object, names, DLO/SLO, symlinks)"
if ! timeout 900 "${DATA_PY[@]}" setup "$container" "$data"; then
  timeout 300 "${DATA_PY[@]}" cleanup "$container"
  echo "FAIL: could not create the test data"
  exit 1
fi
printf '%s\n%s\n' "$container" "$data" >"$E2E_STATE"
log "created $container"
