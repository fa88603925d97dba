#!/usr/bin/env bash
# Uploads under faults (issue 12): 503s, cut uploads (reset mid-body) and bodies shortened in
# transit (short_body: only the ETag can tell) injected into the PUTs of a write mount.
# Every close(2) tells the truth: when cp succeeds Swift holds the new bytes, when it fails
# Swift still holds the old ones; never a partial or mixed object. Then kill -9 of the
# daemon in the middle of an upload: Swift holds the old version (a new file: nothing),
# and `swiftfs --collect-orphans` removes the segments it left.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/write_lib.sh
. "$(dirname "$0")/../e2e/write_lib.sh"
trap 'keep_records; cleanup; w_cleanup' EXIT
w_init
ACCOUNT_PATH=$(sed -E 's#^[a-z]+://[^/]+##' <<<"$STORAGE_URL")
start_proxy swift "$(sed -E 's#^([a-z]+://[^/]+).*#\1#' <<<"$STORAGE_URL")"
start_proxy ks "$(sed -E 's#^([a-z]+://[^/]+).*#\1#' <<<"$OS_AUTH_URL")"
KS_PATH=$(sed -E 's#^[a-z]+://[^/]+##' <<<"$OS_AUTH_URL")
# Only uploads into this case's containers (the object, its segments) are faulted.
faults swift "{\"methods\": [\"PUT\"], \"path\": \"/$W\"}"
mnt=$work/mnt
fmount() {
  mount_swiftfs "$mnt" -o "storage_url=http://127.0.0.1:${swift_PORT}${ACCOUNT_PATH}" \
    -o "auth_url=http://127.0.0.1:${ks_PORT}${KS_PATH}" -o "$W_MOUNT_OPTS" -o op_timeout=20 "$W"
}
fmount || { fail "mount through the proxies"; finish; }
w_writable "$mnt"

# The old versions, written without faults: one small object, one segmented.
# shellcheck disable=SC2034 # read through ${!f}
small=100000
# shellcheck disable=SC2034
large=$((W_SEG * 2 + W_SEG / 2))
for f in small large; do
  randfile "$work/$f.old" "${!f}"
  check "first version of $f" timeout 120 cp "$work/$f.old" "$mnt/$f"
  same_in_swift "first version of $f" "$work/$f.old" "$f"
done

# attempt KIND RATE ROUND: a new version of each file under faults; checks the truth rule.
# Sets OUTCOMES (ok/failed per file).
attempt() {
  local kind=$1 rate=$2 round=$3 f rc got new old err
  faults swift "{\"rates\": {\"$kind\": $rate}}"
  for f in small large; do
    new=$work/$f.new
    randfile "$new" "${!f}"
    err=$(timeout 180 cp "$new" "$mnt/$f" 2>&1)
    rc=$?
    got=$(swift_md5 "$f")
    old=$(local_md5 "$work/$f.old")
    if [ $rc -eq 0 ] && [ "$got" == "$(local_md5 "$new")" ]; then
      pass "$kind x$rate #$round $f: close ok, Swift has the new version"
      cp "$new" "$work/$f.old"
      OUTCOMES+=" ok"
    elif [ $rc -ne 0 ] && [ "$got" == "$old" ]; then
      pass "$kind x$rate #$round $f: close failed ($(tail -n1 <<<"$err" | sed 's/.*: //')), Swift has the old version"
      OUTCOMES+=" failed"
    elif [ $rc -eq 0 ]; then
      fail "$kind x$rate #$round $f: close ok but Swift has $( [ "$got" == "$old" ] && echo "the OLD version" || echo "OTHER bytes ($got)")"
    else
      fail "$kind x$rate #$round $f: close failed but Swift has $( [ "$got" == "$(local_md5 "$new")" ] && echo "the new version" || echo "OTHER bytes ($got)")"
    fi
  done
  faults swift '{"rates": {}}'
}

for kind in 503 reset short_body; do
  OUTCOMES=''
  # Some uploads faulted: retries should carry most of them through.
  for round in 1 2; do attempt "$kind" 0.3 "$round"; done
  log "$kind x0.3: outcomes$OUTCOMES; $(injected)"
  # Every upload faulted: each close must fail, and say so.
  OUTCOMES=''
  attempt "$kind" 1.0 1
  expect_eq "$kind x1.0: every close fails" " failed failed" "$OUTCOMES"
done
check "after the faults: the mount still writes" timeout 120 cp "$work/small.old" "$mnt/after"
same_in_swift "after the faults" "$work/small.old" after

# kill -9 in the middle of uploads: an overwrite of the segmented file and a new file, both
# written past two segments and then held open by one descriptor. (Not a shell's `> file`:
# the shell closes a first descriptor before the command writes, and that close publishes
# the truncated, empty file, as the man page says.)
w_kill_writer() { kill -KILL "$writer_a" "$writer_b" 2>/dev/null; }
hold_open() { # hold_open FILE BYTES (run with &): writes BYTES random bytes, keeps FILE open
  exec /usr/bin/python3 -c 'import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
data = os.urandom(int(sys.argv[2]))
while data:
    data = data[os.write(fd, data):]
time.sleep(60)' "$1" "$2" 2>/dev/null
}
hold_open "$mnt/large" $((W_SEG * 3)) &
writer_a=$!
hold_open "$mnt/fresh" $((W_SEG * 3)) &
writer_b=$!
# Wait until the segments are on their way (two segment PUTs of each file seen).
for _ in $(seq 1 60); do
  n=$(grep -c '"method": "PUT".*_segments' "$work/swift.jsonl" 2>/dev/null)
  [ "${n:-0}" -ge 4 ] && break
  sleep 0.5
done
log "segment PUTs seen before the kill: ${n:-0}"
kill -KILL "$SWIFTFS_PID"
wait_exit "$SWIFTFS_PID" 10
timeout 10 fusermount3 -uz "$mnt" 2>/dev/null
w_kill_writer
expect_eq "kill -9: Swift has the old version of large" "$(local_md5 "$work/large.old")" "$(swift_md5 large)"
expect_eq "kill -9: no partial new file" missing "$(swift_md5 fresh)"

# The collector (no proxy, no age limit: nothing else writes here) removes the leftovers.
if out=$(timeout 120 "$SWIFTFS_BIN" --collect-orphans -o orphan_min_age=0 "$W" 2>&1); then
  pass "swiftfs --collect-orphans: $(tail -n1 <<<"$out")"
else
  fail "swiftfs --collect-orphans: $out"
fi
mount_swiftfs "$mnt" -o "$W_MOUNT_OPTS" "$W" || { fail "remount"; finish; }
no_orphans "$mnt"
check "after the collector: small reads" cmp "$work/small.old" "$mnt/small"
check "after the collector: large reads" cmp "$work/large.old" "$mnt/large"
finish
