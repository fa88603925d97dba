# shellcheck shell=bash
# Shared helpers of the end-to-end tests; sourced by each case script.
#
# Every case mounts the real local Swift with the real swiftfs binary and checks the mount
# with ordinary tools. Nothing may hang the suite: each command that touches the mount runs
# under `timeout`, and the EXIT trap unmounts lazily (fusermount3 -uz), aborts the FUSE
# connection if needed and stops the swiftfs it started (by pid).
#
# Environment: SWIFTFS_BIN (the binary), E2E_STATE (file naming the shared data container,
# written by setup.sh), the OS_* variables of `scripts/local-swift env`.

set -uo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$E2E_DIR/../.." && pwd)
DATA_PY=(/usr/bin/python3 "$E2E_DIR/e2e_data.py")
SKIP=77
T=60  # default timeout (s) of one command on the mount

failures=0
case_name=$(basename "$0" .sh)
work=$(mktemp -d "/tmp/swiftfs-e2e-$case_name.XXXXXX")
mounts=()      # mountpoints to clean up
pids=()        # swiftfs processes we started
conns=()       # FUSE connection ids (/sys/fs/fuse/connections/N) of our mounts

log() { echo "[$case_name] $*"; }
fail() {
  echo "[$case_name] FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "[$case_name] ok: $*"; }

# check DESCRIPTION COMMAND...: runs COMMAND under the default timeout.
check() {
  local what=$1
  shift
  if timeout -k 5 "$T" "$@"; then pass "$what"; else fail "$what (exit $?)"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected '$2', got '$3'"; fi
}

cleanup() {
  local m p c
  for m in "${mounts[@]}"; do
    if mountpoint -q "$m" 2>/dev/null || grep -q " $m " /proc/mounts; then
      timeout -k 2 10 fusermount3 -uz "$m" 2>/dev/null || timeout 10 umount -l "$m" 2>/dev/null
    fi
  done
  for c in "${conns[@]}"; do
    [ -e "/sys/fs/fuse/connections/$c/abort" ] && echo 1 >"/sys/fs/fuse/connections/$c/abort" 2>/dev/null
  done
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$p" 2>/dev/null
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Loads the local Swift environment, or exits with SKIP and a reason.
require_swift() {
  if [ -z "${OS_AUTH_URL:-}" ]; then
    if "$REPO_DIR/scripts/local-swift" status >/dev/null 2>&1; then
      eval "$("$REPO_DIR/scripts/local-swift" env)"
    else
      echo "SKIP: no OS_AUTH_URL and scripts/local-swift is not running (run scripts/local-swift start)"
      exit $SKIP
    fi
  fi
  if ! timeout 10 curl -sf -o /dev/null "${OS_AUTH_URL}"; then
    echo "SKIP: identity service $OS_AUTH_URL does not answer"
    exit $SKIP
  fi
  [ -x "${SWIFTFS_BIN:-}" ] || { echo "FAIL: SWIFTFS_BIN not set or not executable"; exit 1; }
  [ -e /dev/fuse ] || { echo "SKIP: /dev/fuse is missing"; exit $SKIP; }
}

# The shared data container written by setup.sh.
data_container() {
  [ -s "${E2E_STATE:-}" ] || { echo "SKIP: no test data (setup did not run)"; exit $SKIP; }
  head -n1 "$E2E_STATE"
}
data_dir() { sed -n 2p "$E2E_STATE"; }

# swift_auth: sets STORAGE_URL and TOKEN for curl reads.
swift_auth() { read -r STORAGE_URL TOKEN < <("${DATA_PY[@]}" auth); }

# urlencode NAME: percent-encodes every byte but '/' and unreserved characters.
urlencode() { /usr/bin/python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe="/"))' "$1"; }

# etag CONTAINER NAME: the ETag Swift reports for an object.
etag() {
  curl -sfI -H "X-Auth-Token: $TOKEN" "$STORAGE_URL/$1/$(urlencode "$2")" |
    tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{gsub(/"/,"",$2); print $2}'
}

# mount_swiftfs MOUNTPOINT ARGS...: runs swiftfs -f ARGS... MOUNTPOINT in the background
# (log in $work/swiftfs.log) and waits for the mount. Sets SWIFTFS_PID.
mount_swiftfs() {
  local mnt=$1
  shift
  mkdir -p "$mnt"
  mounts+=("$mnt")
  # A non-interactive shell starts background jobs with SIGINT ignored, and a daemon keeps
  # ignored signals ignored: restore the defaults so the signal tests mean something.
  # The daemon authenticates on its own: the checks' token (write_lib.sh) stays out of its
  # environment.
  env -u SWIFTFS_E2E_TOKEN --default-signal=INT,TERM,HUP "$SWIFTFS_BIN" -f "$@" "$mnt" \
    >>"$work/swiftfs.log" 2>&1 &
  SWIFTFS_PID=$!
  pids+=("$SWIFTFS_PID")
  wait_mounted "$mnt" || { cat "$work/swiftfs.log" >&2; return 1; }
}

# wait_mounted MOUNTPOINT: up to 30 s for the FUSE mount to appear; records its connection.
wait_mounted() {
  for _ in $(seq 1 60); do
    if grep -q " $1 fuse.swiftfs " /proc/mounts; then
      conns+=("$(timeout 5 stat -c %d "$1" 2>/dev/null)")
      return 0
    fi
    sleep 0.5
  done
  echo "mount of $1 did not appear" >&2
  return 1
}

# wait_unmounted MOUNTPOINT [SECONDS]
wait_unmounted() {
  for _ in $(seq 1 $((${2:-20} * 2))); do
    grep -q " $1 fuse.swiftfs " /proc/mounts || return 0
    sleep 0.5
  done
  return 1
}

# running PID: true while PID runs (a zombie, exited but not yet waited for, does not).
running() { [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# wait_exit PID [SECONDS]: waits for our child PID to exit and sets EXIT_STATUS to its exit
# status, or to "timeout". Not for use in $(...): only the parent shell can reap its child.
# shellcheck disable=SC2034 # EXIT_STATUS is read by the case scripts
wait_exit() {
  EXIT_STATUS=timeout
  for _ in $(seq 1 $((${2:-20} * 2))); do
    if ! running "$1"; then
      wait "$1" 2>/dev/null
      EXIT_STATUS=$?
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# counter NAME: NAME's value in the last counters line of the daemon's log (written at
# unmount), retries aside (a request retried after a 5xx or timeout on a loaded machine
# counts twice).
counter() {
  local line value retries
  line=$(grep "counters:" "$work/swiftfs.log" | tail -n1)
  value=$(grep -o "$1=[0-9]*" <<<"$line" | cut -d= -f2)
  retries=$(grep -o 'retries=[0-9]*' <<<"$line" | cut -d= -f2)
  echo $((${value:-0} - ${retries:-0}))
}

finish() {
  if [ "$failures" -gt 0 ]; then
    log "$failures check(s) failed; swiftfs log:"
    tail -n 50 "$work/swiftfs.log" >&2 2>/dev/null
    exit 1
  fi
  log "all checks passed"
  exit 0
}
