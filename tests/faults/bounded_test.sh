#!/usr/bin/env bash
# Issue 9, point 3: bounded waits, with a per-operation deadline of -o op_timeout=10.
#  - a GET that stalls mid-body, one never answered, one trickling slowly: the read fails or
#    succeeds within the deadline (+ slack), never wrong bytes;
#  - SIGINT to a reader stuck on a stalled object returns within 2 s: `cat` (which the
#    signal kills), and a reader that handles SIGINT, which returns only if swiftfs answers
#    the FUSE interrupt;
#  - while one object trickles (five readers on it), other objects read at once; its
#    readers, told to stop, are gone within the deadline.
# shellcheck source=tests/faults/lib.sh
. "$(dirname "$0")/lib.sh"
faults_init
deadline=10
slack=5
mnt=$work/mnt
setting="op_timeout=$deadline"
if ! faults_mount "$mnt" -o "op_timeout=$deadline"; then
  fail "mount with -o op_timeout=$deadline (is the option known to this swiftfs?)"
  # Go on without it: the figures show what happens without a deadline.
  mnt=$work/mnt-default
  setting="no op_timeout (option unknown)"
  faults_mount "$mnt" || { fail "mount"; finish; }
fi

# bounded KIND PATH RATES_JSON [EXTRA]: PATH under the fault must end within the deadline.
bounded() {
  local kind=$1 path=$2 re
  re=${path//+/\\\\+} # a regex in a JSON string: \\+
  faults swift "{\"rates\": $3, \"path\": \"/$re\$\", \"reset_counters\": true ${4:-}}"
  read_op "$kind" "$mnt" "$path" $((deadline + slack + 25))
  if awk -v s="$OP_SECS" -v m=$((deadline + slack)) 'BEGIN {exit !(s <= m)}'; then
    pass "$kind: $path ended in ${OP_SECS}s ($OP_OUTCOME ${OP_ERR})"
  else
    fail "$kind: $path took ${OP_SECS}s, deadline ${deadline}s ($OP_OUTCOME ${OP_ERR})"
  fi
  row "$kind" "ends within $((deadline + slack)) s" "$setting"
}
bounded stall sizes/1MiB+7 '{"stall": 1}'
bounded no_answer sizes/128KiB '{"no_answer": 1}'
bounded slow_trickle large/dlo '{"trickle": 1}' ', "trickle_bytes": 2048, "trickle_interval": 1'

# interrupted KIND LIMIT COMMAND...: starts COMMAND on a stalled object, SIGINT after 2 s;
# it must have returned within LIMIT seconds of the signal.
interrupted() {
  local kind=$1 limit=$2 pid t0
  shift 2
  env --default-signal=INT "$@" >/dev/null 2>&1 &
  pid=$!
  sleep 2
  if ! running "$pid"; then
    fail "$kind: the reader was not stuck (ended before SIGINT)"
    return
  fi
  t0=$EPOCHREALTIME
  kill -INT "$pid"
  wait_exit "$pid" $((limit + 6))
  OP_SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
  if awk -v s="$OP_SECS" -v m="$limit" 'BEGIN {exit !(s <= m)}'; then
    pass "$kind: returned ${OP_SECS}s after SIGINT (status $EXIT_STATUS)"
  else
    fail "$kind: ${OP_SECS}s after SIGINT still not returned (status $EXIT_STATUS)"
    kill -KILL "$pid" 2>/dev/null
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "SIGINT" "$EXIT_STATUS" "$OP_SECS" failed \
    interrupted >>"$work/ops.tsv"
  row "$kind" "returns within $limit s of SIGINT" "$setting; seconds from SIGINT to exit"
}
faults swift '{"rates": {"stall": 1}, "path": "/small/f0[0-4][0-9]$", "reset_counters": true}'
interrupted sigint_cat 2 cat "$mnt/small/f010"
# A reader that catches SIGINT: the kernel waits for page-cache reads killably only and
# sends no FUSE INTERRUPT for them, so such a reader returns when the operation's deadline
# fails the read (EIO), not at the signal. The bound is the deadline, not 2 s.
interrupted sigint_handled $((deadline + slack)) /usr/bin/python3 -c '
import signal, sys
signal.signal(signal.SIGINT, lambda *_: sys.exit(3))
open(sys.argv[1], "rb").read()' "$mnt/small/f011"

# Isolation: five readers of one object that trickles (16 KiB every 0.1 s), at different
# offsets, so that its slow read-ahead parts outnumber the read-ahead threads (4 by
# default); other objects, read meanwhile, come at once with the right bytes.
faults swift '{"rates": {"trickle": 1}, "trickle_bytes": 16384, "trickle_interval": 0.1,
  "path": "/big/200MiB$", "reset_counters": true}'
slow=()
for skip in 0 40 80 120 160; do
  timeout -k 2 90 dd if="$mnt/big/200MiB" of=/dev/null bs=1M skip=$skip status=none 2>/dev/null &
  slow+=($!)
done
sleep 5 # the readers go sequential: read-ahead parts of the slow object fill the queue
for p in large/slo sizes/1MiB+7 large/dlo small/f100 small/f101; do
  read_op isolation "$mnt" "$p" 20
  if [ "$OP_OUTCOME" = ok ] && awk -v s="$OP_SECS" 'BEGIN {exit !(s <= 3)}'; then
    pass "isolation: $p read in ${OP_SECS}s while big/200MiB trickles"
  else
    fail "isolation: $p: $OP_OUTCOME in ${OP_SECS}s while big/200MiB trickles ${OP_ERR}"
  fi
done
row isolation "each within 3 s, right bytes" \
  "reads of other objects while 5 readers read an object trickling at 160 KB/s"
# The slow readers are told to stop: each goes once its read in flight ends, which the
# deadline bounds (a read handed to swiftfs cannot be killed before it answers).
t0=$SECONDS
kill -TERM "${slow[@]}" 2>/dev/null
for p in "${slow[@]}"; do
  left=$((t0 + deadline + slack - SECONDS))
  if wait_exit "$p" $((left > 1 ? left : 1)); then
    pass "slow reader $p stopped after $((SECONDS - t0))s"
  else
    fail "slow reader $p still there $((deadline + slack))s after SIGTERM"
    kill -KILL "$p" 2>/dev/null
  fi
done
faults swift '{"rates": {}, "path": null}'
faults_unmount "$mnt"
finish
