# shellcheck shell=bash
# Helpers of the fault-injection cases, on top of tests/e2e/lib.sh (mounting with traps and
# timeouts, check/fail/pass, the local Swift environment), which this file sources.
#
# Each case starts two fault proxies (fault_proxy.py): "swift" in front of the Swift proxy
# and "ks" in front of Keystone, and mounts swiftfs through them with -o storage_url= and
# -o auth_url=. The proxies are stopped by pid by the EXIT trap of tests/e2e/lib.sh.
#
# Environment: SWIFTFS_BIN, FAULTS_STATE (container and manifest, written by setup.sh),
# FAULTS_RESULTS (optional: rows of the reliability table are appended to it), OS_*.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

FAULTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ANALYZE=(/usr/bin/python3 "$FAULTS_DIR/analyze.py")
swift_PORT='' ks_PORT='' # set by start_proxy, with swift_CTL and ks_CTL
: >"$work/ops.tsv"

# With FAULTS_KEEP_DIR set, the case's records (operations, proxy logs, swiftfs log) are
# copied there at exit, before tests/e2e/lib.sh's cleanup deletes them.
keep_records() {
  [ -n "${FAULTS_KEEP_DIR:-}" ] || return 0
  mkdir -p "$FAULTS_KEEP_DIR/$case_name" &&
    cp "$work"/*.tsv "$work"/*.jsonl "$work"/*.log "$FAULTS_KEEP_DIR/$case_name/" 2>/dev/null
  return 0
}
trap 'keep_records; cleanup' EXIT

# faults_init: the data, the proxies. Sets CONTAINER, MANIFEST, ACCOUNT_PATH.
faults_init() {
  require_swift
  [ -s "${FAULTS_STATE:-}" ] || { echo "SKIP: no test data (faults setup did not run)"; exit $SKIP; }
  CONTAINER=$(sed -n 1p "$FAULTS_STATE")
  MANIFEST=$(sed -n 2p "$FAULTS_STATE")
  swift_auth
  ACCOUNT_PATH=$(sed -E 's#^[a-z]+://[^/]+##' <<<"$STORAGE_URL")
  start_proxy swift "$(sed -E 's#^([a-z]+://[^/]+).*#\1#' <<<"$STORAGE_URL")"
  start_proxy ks "$(sed -E 's#^([a-z]+://[^/]+).*#\1#' <<<"$OS_AUTH_URL")"
  KS_PATH=$(sed -E 's#^[a-z]+://[^/]+##' <<<"$OS_AUTH_URL")
  # Keystone: only token requests are faulted; Swift: only object GETs (the default).
  faults ks '{"methods": ["POST"], "objects_only": false, "path": "/auth/tokens"}'
}

# start_proxy NAME UPSTREAM: sets NAME_PORT and NAME_CTL; JSON request log in $work/NAME.jsonl.
start_proxy() {
  local name=$1 ready=$work/$1.ready
  /usr/bin/python3 "$FAULTS_DIR/fault_proxy.py" --upstream "$2" --ready-file "$ready" \
    --log "$work/$name.jsonl" --lifetime "${FAULTS_PROXY_LIFETIME:-900}" \
    --seed "${FAULTS_SEED:-9}" 2>>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 100); do
    [ -s "$ready" ] && break
    sleep 0.2
  done
  [ -s "$ready" ] || { echo "FAIL: fault proxy $name did not start" >&2; cat "$work/$name.err" >&2; exit 1; }
  printf -v "${name}_PORT" '%s' "$(json_get "$ready" port)"
  printf -v "${name}_CTL" '%s' "$(json_get "$ready" control_port)"
}

# json_get FILE KEY
json_get() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# faults NAME JSON: changes the faults of proxy NAME (see fault_proxy.py); an empty "rates"
# heals it.
faults() {
  local ctl_var=${1}_CTL
  timeout 10 curl -sf -X POST --data "$2" "http://127.0.0.1:${!ctl_var}/__faults__" >/dev/null ||
    fail "fault proxy $1 refused $2"
}

# proxy_state NAME EXPR: a Python expression over the proxy's {config, counters, outage_left}.
proxy_state() {
  local ctl_var=${1}_CTL
  timeout 10 curl -sf "http://127.0.0.1:${!ctl_var}/__faults__" |
    /usr/bin/python3 -c 'import json,sys; print(eval(sys.argv[1], {}, json.load(sys.stdin)))' "$2"
}

# faults_mount MOUNTPOINT [SWIFTFS ARGS...]: mounts the data container through both proxies.
faults_mount() {
  local mnt=$1
  shift
  mount_swiftfs "$mnt" -o "storage_url=http://127.0.0.1:${swift_PORT}${ACCOUNT_PATH}" \
    -o "auth_url=http://127.0.0.1:${ks_PORT}${KS_PATH}" "$@" "$CONTAINER"
}

# faults_unmount MOUNTPOINT: fusermount3 -u, then waits for our swiftfs to exit.
faults_unmount() {
  timeout -k 2 20 fusermount3 -u "$1" 2>/dev/null || timeout 10 fusermount3 -uz "$1"
  wait_exit "$SWIFTFS_PID" 20 || kill -KILL "$SWIFTFS_PID" 2>/dev/null
}

# want PATH: the md5 Swift holds for PATH (relative to the mount).
want() { awk -v p="$1" '$2 == p {print $1}' "$MANIFEST"; }

# read_op KIND MOUNTPOINT PATH [TIMEOUT]: md5sum of one file, timed and checked against the
# manifest; one line "KIND PATH rc seconds ok|failed|wrong error" in $work/ops.tsv.
# Sets OP_RC, OP_SECS, OP_OUTCOME, OP_ERR. Never fails the case by itself.
read_op() {
  local kind=$1 mnt=$2 path=$3 limit=${4:-$T} start end got err=$work/op.err.$BASHPID
  start=$EPOCHREALTIME
  got=$(timeout -k 2 "$limit" md5sum "$mnt/$path" 2>"$err")
  OP_RC=$?
  end=$EPOCHREALTIME
  OP_SECS=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
  OP_ERR=$(sed -E 's/.*: //' "$err" | head -n1)
  rm -f "$err"
  # 137: still stuck after the KILL (a read handed to swiftfs cannot be killed)
  case $OP_RC in 124 | 137) OP_ERR="no answer within ${limit}s" ;; esac
  if [ $OP_RC -ne 0 ]; then
    OP_OUTCOME=failed
  elif [ "${got%% *}" == "$(want "$path")" ]; then
    OP_OUTCOME=ok
  else
    OP_OUTCOME=wrong
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$path" "$OP_RC" "$OP_SECS" "$OP_OUTCOME" \
    "${OP_ERR:--}" >>"$work/ops.tsv"
  [ "$OP_OUTCOME" != wrong ] || fail "WRONG BYTES: $path under $kind"
}

# read_set KIND MOUNTPOINT PATH...: read_op of each path.
read_set() {
  local kind=$1 mnt=$2 p start=$SECONDS
  shift 2
  for p in "$@"; do read_op "$kind" "$mnt" "$p"; done
  log "$kind: $# reads in $((SECONDS - start))s"
}

# row KIND WANT [NOTE]: the reliability-table row of KIND's operations, with WANT (what
# the issue requires), printed and appended to $FAULTS_RESULTS; sets ROW_OPS ROW_FAILED
# ROW_WRONG ROW_SLOWEST.
row() {
  local line
  line=$("${ANALYZE[@]}" row "$work/ops.tsv" "$1" "$2" "${3:-}")
  # shellcheck disable=SC2034 # read by the cases
  read -r ROW_OPS ROW_FAILED ROW_WRONG ROW_SLOWEST < <(cut -f2-5 <<<"$line")
  log "table: $(tr '\t' '|' <<<"$line")"
  [ -z "${FAULTS_RESULTS:-}" ] || printf '%s\t%s\n' "$case_name" "$line" >>"$FAULTS_RESULTS"
}

# injected: the faults the swift proxy injected since its counters were reset, for a note.
injected() {
  proxy_state swift '"injected: " + (", ".join(f"{k} x{v}" for k, v in sorted(counters["faults"].items())) or "none")'
}

# either PASS_MESSAGE FAIL_MESSAGE COMMAND...: pass or fail on COMMAND's status.
either() {
  local ok=$1 ko=$2
  shift 2
  if "$@"; then pass "$ok"; else fail "$ko"; fi
}

# The paths of the small-file directory, first..last (0-based).
small_files() { seq -f 'small/f%03g' "$1" "$2"; }
