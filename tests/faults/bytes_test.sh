#!/usr/bin/env bash
# Issue 9, points 1 and 2: never wrong bytes, transient faults absorbed.
#  - each fault kind alone at a high rate: every read that succeeds has Swift's bytes;
#  - the mix (10 % 5xx, 5 % resets, 5 % short bodies, 5 % short 206): 0 failed reads, and
#    retries after a cut ask for the missing range (Range start past the cut request's);
#  - Retry-After is honoured (the retry waits), and a huge one is capped (no hour-long wait).
# Each pass is a fresh mount, so neither the kernel's page cache nor swiftfs's read-ahead
# serves bytes read in an earlier pass.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
faults_init

objects=(sizes/128KiB sizes/1MiB+7 large/slo large/dlo)
mapfile -t some_small < <(small_files 0 19)
mapfile -t all_small < <(small_files 20 279)

# under KIND RATES_JSON [EXTRA_CONFIG]: one mount, the objects and 40 small files read under
# RATES (20 small files); no wrong bytes allowed (failures are allowed: the kind alone is far above the mix).
under() {
  local kind=$1 mnt=$work/mnt-$1
  faults swift "{\"rates\": $2, \"retry_after\": null, \"reset_counters\": true ${3:-}}"
  faults_mount "$mnt" || { fail "mount for $kind"; return; }
  read_set "$kind" "$mnt" "${objects[@]}" "${some_small[@]}"
  faults swift '{"rates": {}}'
  faults_unmount "$mnt"
  row "$kind" "0 wrong bytes" "$(injected)"
  expect_eq "$kind: wrong bytes" 0 "$ROW_WRONG"
}
under 503 '{"503": 0.3}'
under 500 '{"500": 0.3}'
under reset '{"reset": 0.3}'
under short_body '{"short_body": 0.3}'
under short_206 '{"short_206": 0.5}'
under ignore_range '{"ignore_range": 0.5}'
under trickle '{"trickle": 0.3}' ', "trickle_bytes": 65536, "trickle_interval": 0.02'

# The mix of point 2, over every object but the big one.
: >"$work/swift.jsonl"
mnt=$work/mnt-mix
faults swift '{"rates": {"503": 0.08, "500": 0.02, "reset": 0.05, "short_body": 0.05,
  "short_206": 0.05}, "reset_counters": true}'
faults_mount "$mnt" || fail "mount for the mix"
read_set mix "$mnt" "${objects[@]}" "${all_small[@]}"
check "mix: find lists every small file" \
  bash -c "[ \"\$(find '$mnt/small' -type f | wc -l)\" -eq $(grep -c ' small/' "$MANIFEST") ]"
faults swift '{"rates": {}}'
read -r cuts resumed restarted < <("${ANALYZE[@]}" resume "$work/swift.jsonl")
row mix "0 failed, 0 wrong, cuts resumed" \
  "$(injected); $resumed of $cuts cuts resumed from the byte reached, $restarted from the start"
expect_eq "mix: failed reads" 0 "$ROW_FAILED"
expect_eq "mix: wrong bytes" 0 "$ROW_WRONG"
log "mix: $cuts cuts, $resumed resumed from the byte reached, $restarted restarted"
if [ "$cuts" -gt 0 ] && [ "$resumed" -eq "$cuts" ]; then
  pass "mix: every cut resumed with a Range of what was missing ($resumed of $cuts)"
else
  fail "mix: $resumed of $cuts cuts resumed from the byte reached ($restarted restarted from the start)"
fi

faults_unmount "$mnt"

# Retry-After: 2 s is waited for; 3600 s is capped (the read still succeeds, in minutes at
# most, not after an hour).
: >"$work/swift.jsonl"
mnt=$work/mnt-retry-after
faults_mount "$mnt" || fail "mount for Retry-After"
faults swift '{"rates": {"503": 1}, "retry_after": 2, "limit": 1, "path": "/small/f28[0-4]$",
  "reset_counters": true}'
read_op retry_after_2 "$mnt" small/f280
expect_eq "Retry-After 2: the read succeeds" ok "$OP_OUTCOME"
gap=$("${ANALYZE[@]}" retry_gap "$work/swift.jsonl" /small/f280 | head -n1)
if awk -v g="${gap:-0}" 'BEGIN {exit !(g >= 1.8)}'; then
  pass "Retry-After 2: retried after ${gap}s"
else
  fail "Retry-After 2: retried after ${gap:-never}s (less than asked)"
fi
row retry_after_2 "succeeds, retry waits >= 2 s" \
  "503 with Retry-After: 2 once; retry after ${gap:-?}s"
faults swift '{"rates": {"503": 1}, "retry_after": 3600, "limit": 1, "path": "/small/f28[5-9]$",
  "reset_counters": true}'
read_op retry_after_3600 "$mnt" small/f285 90
expect_eq "Retry-After 3600 (capped): the read succeeds" ok "$OP_OUTCOME"
row retry_after_3600 "succeeds, wait capped" "503 with Retry-After: 3600 once"
faults swift '{"rates": {}, "limit": null, "path": null, "retry_after": null}'
faults_unmount "$mnt"
finish
