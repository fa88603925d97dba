# shellcheck shell=bash
# Helpers of the write cases (write_*_test.sh), on top of lib.sh: each case writes into a
# container of its own, created here and deleted (with its segment containers) by the EXIT
# trap after the mounts are gone, and checks what Swift holds through the Swift API
# (write_check.py, curl), byte for byte, not only through the mount.
#
# The upload options of the mount come from W_MOUNT_OPTS: a small segment size keeps every
# case fast while still making multi-segment objects.
# Once per case: tests/faults/lib.sh may have sourced lib.sh already (a second time would
# make a second work directory and forget the mounts and pids recorded so far).
# shellcheck source=tests/e2e/lib.sh
[ -n "${E2E_DIR:-}" ] || . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

W_CHECK=(/usr/bin/python3 "$E2E_DIR/write_check.py")
W_SEG=${W_SEG:-1048576}                     # segment size of the test mounts (bytes)
W_MOUNT_OPTS=${W_MOUNT_OPTS:-segment_size=$W_SEG}
W=''                                        # the case's container

w_cleanup() {
  [ -n "$W" ] && timeout 300 "${W_CHECK[@]}" remove "$W" >/dev/null 2>&1
  return 0
}
trap 'cleanup; w_cleanup' EXIT

# w_init: the local Swift (or SKIP), a token for curl, and a fresh container in $W.
w_init() {
  require_swift
  swift_auth
  # write_check.py's many calls reuse this token instead of authenticating each time.
  export SWIFTFS_E2E_STORAGE_URL=$STORAGE_URL SWIFTFS_E2E_TOKEN=$TOKEN
  local opt=${W_MOUNT_OPTS%%=*}
  local help
  help=$("$SWIFTFS_BIN" --help) # not piped into grep -q: pipefail would see its SIGPIPE
  if ! grep -q -- "-o $opt=" <<<"$help"; then
    echo "SKIP: this swiftfs has no $opt= option: the write path is not built"
    exit "$SKIP"
  fi
  W="swiftfs-w-${case_name%_test}-$(date +%s)-$$"
  "${W_CHECK[@]}" create "$W" || { echo "FAIL: cannot create container $W"; exit 1; }
}

# w_mount MOUNTPOINT [ARGS...]: mounts $W read-write with the test upload options.
w_mount() {
  local mnt=$1
  shift
  mount_swiftfs "$mnt" -o "$W_MOUNT_OPTS" "$@" "$W"
}

# w_writable MOUNTPOINT: a binary whose core does not create files yet (create answers
# "not supported yet", ENOTSUP) skips the case, saying so; any other failure fails it.
w_writable() {
  local out
  if out=$(timeout "$T" touch "$1/.w-probe" 2>&1); then
    timeout "$T" rm -f "$1/.w-probe" || fail "rm of the probe file"
    return 0
  fi
  if grep -q "Operation not supported" <<<"$out"; then
    echo "SKIP: this swiftfs does not create files yet (touch: ENOTSUP): the write path is not built"
    exit "$SKIP"
  fi
  fail "touch of a new file: $out"
  finish
}

# w_unmount MOUNTPOINT: a clean unmount (every upload committed), waiting for the daemon.
w_unmount() {
  timeout -k 2 60 fusermount3 -u "$1" 2>/dev/null || timeout 10 fusermount3 -uz "$1"
  wait_exit "$SWIFTFS_PID" 60 || kill -KILL "$SWIFTFS_PID" 2>/dev/null
}

# swift_md5 NAME: md5 of object NAME of $W as Swift serves it ("missing" when absent).
swift_md5() { timeout "$T" "${W_CHECK[@]}" md5 "$W" "$1"; }
# local_md5 FILE
local_md5() { md5sum <"$1" | cut -d' ' -f1; }

# same_in_swift WHAT LOCAL_FILE NAME: Swift's object NAME has LOCAL_FILE's bytes.
same_in_swift() { expect_eq "$1 (Swift bytes)" "$(local_md5 "$2")" "$(swift_md5 "$3")"; }

# tree_in_swift WHAT LOCAL_DIR PREFIX: every regular file under LOCAL_DIR is the object
# PREFIX/relative-path of $W with the same bytes (one failure line per difference).
tree_in_swift() {
  local what=$1 dir=$2 prefix=$3 rel bad=0 n=0 names=() remote=()
  while IFS= read -r -d '' rel; do names+=("$rel"); done < <(cd "$dir" && find . -type f -printf '%P\0')
  # One process for the whole tree: a Python start-up per file is most of a loaded run.
  mapfile -t remote < <(printf '%s\0' "${names[@]}" | timeout 300 "${W_CHECK[@]}" md5s "$W" "$prefix")
  for rel in "${names[@]}"; do
    if [ "$(local_md5 "$dir/$rel")" != "${remote[n]:-none}" ]; then
      bad=$((bad + 1))
      fail "$what: $prefix$rel differs in Swift"
    fi
    n=$((n + 1))
  done
  [ $bad -eq 0 ] && pass "$what: $n files identical in Swift"
}

# no_orphans MOUNTPOINT: every object of $W and of its segment containers is a name the
# mount shows or a segment a manifest references.
no_orphans() {
  local left
  left=$(cd "$1" && timeout "$T" find . -mindepth 1 -printf '%P\n' |
    timeout 300 "${W_CHECK[@]}" orphans "$W")
  if [ -z "$left" ]; then pass "no orphaned segments"; else fail "orphaned objects: $(head -c 600 <<<"$left")"; fi
}

# randfile FILE SIZE: SIZE random bytes.
randfile() { head -c "$2" /dev/urandom >"$1"; }
