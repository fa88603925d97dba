#!/usr/bin/env bash
# Issue 9, point 6: unmounting completes within 10 s whatever is stuck. Readers are stuck
# on a stalled GET, on one never answered and on a slow trickle (default options: a 60 s
# deadline, longer than the 10 s allowed); then
#  - SIGTERM to swiftfs (how a service manager stops it): it exits, the mount is gone and
#    every stuck reader has returned within 10 s;
#  - `fusermount3 -u` refused while files are open (EBUSY) and `fusermount3 -uz` (lazy):
#    the mountpoint detaches at once and swiftfs exits once its readers are gone.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
faults_init

# stuck_readers MOUNTPOINT: three readers stuck on the stalled objects; sets READERS.
stuck_readers() {
  local p
  READERS=()
  for p in small/f000 small/f001 sizes/1MiB+7; do
    timeout -k 2 120 cat "$1/$p" >/dev/null 2>&1 &
    READERS+=($!)
  done
  sleep 3
  for p in "${READERS[@]}"; do
    running "$p" || fail "a reader was not stuck (ended within 3 s)"
  done
}
stall='{"rates": {"stall": 0.4, "no_answer": 0.3, "trickle": 0.3}, "trickle_bytes": 64,
  "trickle_interval": 1, "path": "/(small/f00[01]|sizes/1MiB\\+7)$"}'

# 1. SIGTERM.
mnt=$work/mnt-term
faults swift '{"rates": {}}'
faults_mount "$mnt" || { fail "mount"; finish; }
faults swift "$stall"
stuck_readers "$mnt"
t0=$EPOCHREALTIME
kill -TERM "$SWIFTFS_PID"
either "SIGTERM: swiftfs exited" "SIGTERM: swiftfs still running after 10 s" \
  wait_exit "$SWIFTFS_PID" 10
either "SIGTERM: mount gone" "SIGTERM: still mounted" wait_unmounted "$mnt" 1
for p in "${READERS[@]}"; do
  wait_exit "$p" 1 || fail "SIGTERM: reader $p still stuck"
done
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
either "SIGTERM: all done in ${secs}s" "SIGTERM: took ${secs}s" \
  awk -v s="$secs" 'BEGIN {exit !(s <= 10)}'
printf 'unmount_sigterm\tSIGTERM\t-\t%s\t%s\tstuck\n' "$secs" \
  "$([ "$failures" -eq 0 ] && echo ok || echo failed)" >>"$work/ops.tsv"
row unmount_sigterm "within 10 s" "seconds from SIGTERM to swiftfs gone, readers returned"
kill -KILL "$SWIFTFS_PID" "${READERS[@]}" 2>/dev/null

# 2. fusermount3 -u (busy) and -uz.
before=$failures
mnt=$work/mnt-lazy
faults swift '{"rates": {}}'
faults_mount "$mnt" || { fail "mount"; finish; }
faults swift "$stall"
stuck_readers "$mnt"
t0=$EPOCHREALTIME
if timeout -k 2 10 fusermount3 -u "$mnt" 2>"$work/umount.err"; then
  pass "fusermount3 -u returned 0 at once"
else
  log "fusermount3 -u refused: $(cat "$work/umount.err")"
  either "fusermount3 -uz" "fusermount3 -uz failed" timeout -k 2 10 fusermount3 -uz "$mnt"
fi
either "lazy unmount: mountpoint detached" "lazy unmount: still mounted" wait_unmounted "$mnt" 2
kill -TERM "${READERS[@]}" 2>/dev/null # the last users go away (as an operator would make them)
either "lazy unmount: swiftfs exited" \
  "lazy unmount: swiftfs still running 10 s after its readers were stopped" \
  wait_exit "$SWIFTFS_PID" 10
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
printf 'unmount_lazy\tfusermount3 -uz\t-\t%s\t%s\tstuck\n' "$secs" \
  "$([ "$failures" -eq "$before" ] && echo ok || echo failed)" >>"$work/ops.tsv"
row unmount_lazy "detached at once, swiftfs gone within 10 s" "seconds from fusermount3 -u to swiftfs gone"
kill -KILL "$SWIFTFS_PID" "${READERS[@]}" 2>/dev/null
finish
