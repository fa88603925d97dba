#!/usr/bin/env bash
# Issue 9, point 5: Keystone faults.
#  A. Keystone answers 503, then hangs, from 3 s after the token was issued until 4 s before
#     it expires (it is told to expire after 40 s: the Keystone proxy rewrites expires_at),
#     longer than any renewal window: reads go on all the time; none may fail, none may wait
#     for Keystone (slowest read <= 3 s). Then Keystone heals (held requests are reset, as
#     by a restart) and reads go on past the token's expiry: renewal has happened.
#  B. Credentials rejected (Keystone 401, and Swift 401 so that every operation wants a new
#     token): 40 reads, 4 at a time: each fails fast with EACCES, and Keystone sees at most a
#     few authentication attempts (one per backoff window), not one per operation.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
faults_init
lifetime=40

# A. Keystone down while the token is valid.
faults ks "{\"token_lifetime\": $lifetime, \"reset_counters\": true}"
: >"$work/ks.jsonl"
mnt=$work/mnt-a
faults_mount "$mnt" || { fail "mount"; finish; }
issued=$(/usr/bin/python3 -c '
import json, sys
posts = [json.loads(l) for l in open(sys.argv[1]) if "POST" in l]
print(posts[-1]["end"] if posts else "")' "$work/ks.jsonl")
[ -n "$issued" ] || { fail "no token request seen by the Keystone proxy"; finish; }
# since: seconds since the token was issued.
since() { awk -v a="$issued" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.3f", b - a}'; }
# until_offset S: seconds from now until S seconds after the token was issued (>= 0).
until_offset() { awk -v s="$(since)" -v o="$1" 'BEGIN {d = o - s; printf "%.3f", (d > 0 ? d : 0)}'; }
heal_at=$((lifetime - 4))
# Keystone's phases run on their own clock: a read stuck on Keystone cannot delay them.
(
  sleep "$(until_offset 3)"
  faults ks '{"rates": {"503": 1}}'
  sleep "$(until_offset 16)"
  faults ks '{"rates": {"no_answer": 1}}'
  sleep "$(until_offset "$heal_at")"
  faults ks '{"rates": {}}'
) &
pids+=($!)
i=100
while awk -v s="$(since)" -v end=$((lifetime + 8)) 'BEGIN {exit !(s < end)}'; do
  kind=$(awk -v s="$(since)" -v h="$heal_at" 'BEGIN {
    print (s < 3 ? "keystone_ok" : s < 16 ? "keystone_503" : s < h ? "keystone_hang" : "keystone_healed") }')
  read_op "$kind" "$mnt" "small/f$(printf %03d "$i")" 30
  i=$((i < 299 ? i + 1 : 100))
  sleep 0.1
done
for kind in keystone_503 keystone_hang keystone_healed; do
  row "$kind" "0 failed, each within 3 s" "token told to expire ${lifetime}s after issue; Keystone ${kind#keystone_} while valid"
  expect_eq "$kind: failed reads" 0 "$ROW_FAILED"
  expect_eq "$kind: wrong bytes" 0 "$ROW_WRONG"
  if awk -v s="$ROW_SLOWEST" 'BEGIN {exit !(s <= 3)}'; then
    pass "$kind: no read waited for Keystone (slowest ${ROW_SLOWEST}s)"
  else
    fail "$kind: a read waited ${ROW_SLOWEST}s (for Keystone?)"
  fi
done
posts=$(proxy_state ks 'counters["by_method"].get("POST", 0)')
if [ "${posts:-0}" -ge 2 ]; then
  pass "token renewed ($posts token requests)"
else
  fail "no renewal seen ($posts token requests)"
fi
faults_unmount "$mnt"
faults ks '{"token_lifetime": null}'

# B. Credentials rejected.
mnt=$work/mnt-b
faults_mount "$mnt" || { fail "mount"; finish; }
check "healthy read before the credentials are revoked" md5sum "$mnt/small/f050"
faults ks '{"rates": {"401": 1}, "reset_counters": true}'
faults swift '{"rates": {"401": 1}, "reset_counters": true}'
t0=$EPOCHREALTIME
for batch in 0 1 2 3 4 5 6 7 8 9; do
  readers=()
  for k in 0 1 2 3; do
    read_op rejected "$mnt" "small/f$(printf %03d $((200 + batch * 4 + k)))" 30 &
    readers+=($!)
  done
  wait "${readers[@]}" # not a bare `wait`: swiftfs and the proxies are background jobs too
  sleep 0.3
done
elapsed=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
posts=$(proxy_state ks 'counters["by_method"].get("POST", 0)')
row rejected "all EACCES within 2 s, <= 4 token requests" "Keystone 401 + Swift 401; $posts token requests in ${elapsed}s"
expect_eq "rejected: reads that succeeded" 0 "$((ROW_OPS - ROW_FAILED))"
bad=$(awk -F'\t' '$1 == "rejected" && $6 !~ /Permission denied/' "$work/ops.tsv" | wc -l)
expect_eq "rejected: every read failed with EACCES" 0 "$bad"
if awk -v s="$ROW_SLOWEST" 'BEGIN {exit !(s <= 2)}'; then
  pass "rejected: failed fast (slowest ${ROW_SLOWEST}s)"
else
  fail "rejected: slowest failure took ${ROW_SLOWEST}s"
fi
if [ "${posts:-0}" -ge 1 ] && [ "$posts" -le 4 ]; then
  pass "rejected: $posts authentication attempts for $ROW_OPS operations in ${elapsed}s"
else
  fail "rejected: $posts authentication attempts for $ROW_OPS operations in ${elapsed}s (want 1..4)"
fi
faults ks '{"rates": {}}'
faults swift '{"rates": {}}'
faults_unmount "$mnt"

# C. Keystone sick at unmount: the token's revocation (DELETE) answered 503, then never
# answered. Revocation is best effort: one attempt of at most 5 s, so swiftfs exits within
# 10 s of fusermount3 -u either way (seen on a local Keystone: 500 "database is locked"
# after 5 s to every DELETE, and four attempts with backoff held the exit past 30 s).
faults ks '{"methods": ["DELETE"], "path": "/auth/tokens"}'
for kind in 503 no_answer; do
  mnt=$work/mnt-c-$kind
  faults_mount "$mnt" || { fail "mount"; finish; }
  faults ks "{\"rates\": {\"$kind\": 1}, \"reset_counters\": true}"
  t0=$EPOCHREALTIME
  timeout -k 2 10 fusermount3 -u "$mnt" || fail "revoke_$kind: fusermount3 -u"
  either "revoke_$kind: swiftfs exited" "revoke_$kind: swiftfs still running 10 s after unmount" \
    wait_exit "$SWIFTFS_PID" 10
  kill -KILL "$SWIFTFS_PID" 2>/dev/null
  secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
  log "revoke_$kind: ${secs}s from fusermount3 -u to exit"
  expect_eq "revoke_$kind: revocation attempts" 1 \
    "$(proxy_state ks 'counters["by_method"].get("DELETE", 0)')"
  faults ks '{"rates": {}}'
done
faults ks '{"methods": ["POST"], "path": "/auth/tokens"}'
finish
