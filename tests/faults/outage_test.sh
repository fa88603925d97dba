#!/usr/bin/env bash
# Issue 9, point 4: Swift unreachable (every connection refused, open ones reset) for 20 s
# in the middle of an md5sum of the 200 MiB object, with the default deadline (60 s per
# operation). The read either completes with the right bytes or fails with EIO within the
# deadline; the first operation after the outage works at once.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
faults_init
outage=20
deadline=60 # the documented default of op_timeout
slack=10
mnt=$work/mnt
faults_mount "$mnt" || { fail "mount"; finish; }

(read_op outage "$mnt" big/200MiB 240; echo "$OP_OUTCOME $OP_SECS $OP_ERR" >"$work/big.result") &
reader=$!
# The outage starts once some 40 MiB went through (or after 30 s whatever happened).
for _ in $(seq 1 150); do
  sent=$(proxy_state swift 'counters["bytes_sent"]')
  [ "${sent:-0}" -ge $((40 * 1048576)) ] && break
  sleep 0.2
done
t_out=$EPOCHREALTIME
log "outage of ${outage}s after ${sent:-?} bytes"
faults swift "{\"outage\": $outage}"
wait "$reader"
t_end=$EPOCHREALTIME
read -r outcome secs err <"$work/big.result"
after=$(awk -v a="$t_out" -v b="$t_end" 'BEGIN {printf "%.1f", b - a}')
case $outcome in
  ok) pass "200 MiB read completed with the right bytes through the outage (${secs}s)" ;;
  failed)
    if awk -v s="$after" -v m=$((deadline + slack)) 'BEGIN {exit !(s <= m)}' &&
      grep -qi "input/output" <<<"$err"; then
      pass "200 MiB read failed with EIO ${after}s after the outage began (deadline ${deadline}s)"
    else
      fail "200 MiB read failed ${after}s after the outage began: $err"
    fi
    ;;
  *) fail "200 MiB read: $outcome ($err)" ;;
esac

# The next operation once Swift is back works at once.
for _ in $(seq 1 $((outage * 5 + 10))); do
  [ "$(proxy_state swift 'outage_left')" = 0.0 ] && break
  sleep 0.2
done
read_op outage_after "$mnt" sizes/1MiB+7 30
if [ "$OP_OUTCOME" = ok ] && awk -v s="$OP_SECS" 'BEGIN {exit !(s <= 3)}'; then
  pass "first read after the outage: ${OP_SECS}s"
else
  fail "first read after the outage: $OP_OUTCOME in ${OP_SECS}s ($OP_ERR)"
fi
check "ls -l after the outage" bash -c "ls -l '$mnt/small' >/dev/null"
row outage "right bytes, or EIO within $((deadline + slack)) s" "Swift refused for ${outage}s in the middle of the 200 MiB read"
row outage_after "works, within 3 s" "first operation after the outage"
faults_unmount "$mnt"
finish
