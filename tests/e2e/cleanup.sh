#!/usr/bin/env bash
# Fixture: deletes the shared data container and the local copies.
. "$(dirname "$0")/lib.sh"
[ -s "${E2E_STATE:-}" ] || exit 0
require_swift
container=$(head -n1 "$E2E_STATE")
timeout 600 "${DATA_PY[@]}" cleanup "$container" || echo "warning: could not delete $container"
rm -rf "$(sed -n 2p "$E2E_STATE")" "$E2E_STATE"
log "deleted $container"
