#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# One mtime per object version, whatever the path (man page, SEMANTICS, Attributes).
# Objects uploaded with X-Object-Meta-Mtime in a small pseudo-directory (listed whole by
# the lookup probe) and in a large one (150 objects: a lookup in it goes by requests), and
# one without it: stat on a cold mount, ls -l, stat after every cache expired, a remount,
# and mtime=server; rsync -a out of the mount twice must copy nothing the second time;
# GNU ls -l must stop asking for security.selinux / system.posix_acl_access; and with
# large/ streamed, find sends no HEAD and ls -l shows the same times.
. "$(dirname "$0")/lib.sh"
require_swift
container="swiftfs-e2e-mtime-$(date +%s)-$$"
trap 'timeout 120 "${DATA_PY[@]}" cleanup "$container" >/dev/null 2>&1; cleanup' EXIT

E2E_DIR="$E2E_DIR" /usr/bin/python3 - "$container" <<'PY' || { fail "upload"; finish; }
import os, sys
sys.path.insert(0, os.environ["E2E_DIR"])
import e2e_data
s = e2e_data.Swift()
c = sys.argv[1]
status, _ = s.request("PUT", c)
assert status in (201, 202), status
for d in ("small", "large"):
    s.put(c, f"{d}/m1", b"one", {"X-Object-Meta-Mtime": "1000000000.5"})
    s.put(c, f"{d}/m2", b"two", {"X-Object-Meta-Mtime": "1234567890"})
    s.put(c, f"{d}/plain", b"plain")
for i in range(150):
    s.put(c, f"large/z{i:03d}", b"z", {"X-Object-Meta-Mtime": str(1500000000 + i)})
PY

# stat's %.9Y: seconds and nanoseconds of the mtime.
mtime() { timeout $T stat -c %.9Y "$1"; }
# `ls -l` with epoch times: "NAME SECONDS" per file.
ls_times() { timeout $T ls -l --time-style=+%s "$1" | awk 'NR>1{print $7, $6}'; }

# 1. Cold mounts, one per path, default mtime=meta.
m=$work/a
mount_swiftfs "$m" "$container" || { fail "mount"; finish; }
expect_eq "stat small/m1, cold (listed by the probe)" "1000000000.500000000" "$(mtime "$m/small/m1")"
expect_eq "stat large/m1, cold (by requests)" "1000000000.500000000" "$(mtime "$m/large/m1")"
small_plain=$(mtime "$m/small/plain")
large_plain=$(mtime "$m/large/plain")  # by requests: a HEAD's X-Timestamp
fusermount3 -u "$m"

m=$work/b
mount_swiftfs "$m" "$container" || { fail "mount"; finish; }
expect_eq "ls -l small, cold" "m1 1000000000
m2 1234567890
plain ${small_plain%.*}" "$(ls_times "$m/small")"
expect_eq "ls -l large, cold: z149" "z149 1500000149" "$(ls_times "$m/large" | grep z149)"
expect_eq "ls -l large, cold: m1" "m1 1000000000" "$(ls_times "$m/large" | grep m1)"
expect_eq "stat after ls -l" "1000000000.500000000" "$(mtime "$m/large/m1")"
expect_eq "an object without X-Object-Meta-Mtime: the same time from a listing as from a HEAD" \
  "$large_plain" "$(mtime "$m/large/plain")"
expect_eq "xattr user.swift.meta.mtime" "1000000000.5" \
  "$(timeout $T getfattr --only-values -n user.swift.meta.mtime "$m/small/m1")"
# GNU ls asks each file for security.selinux and system.posix_acl_access until the
# filesystem answers ENOTSUP once: then never again on that device.
if command -v strace >/dev/null; then
  calls=$(timeout $T strace -f -c -e trace=getxattr,lgetxattr,fgetxattr ls -l "$m/large" 2>&1 >/dev/null |
    awk '/getxattr/{n += $4} END{print n + 0}')
  log "getxattr calls of ls -l of 153 files: $calls"
  [ "$calls" -le 4 ] && pass "ls -l stops asking for xattrs ($calls calls)" ||
    fail "ls -l sent $calls getxattr calls for 153 files"
fi
fusermount3 -u "$m"

# 2. Every cache expired: the same times.
m=$work/c
mount_swiftfs "$m" -o attr_timeout=1,entry_timeout=1,dir_cache_timeout=1,negative_timeout=1 \
  "$container" || { fail "mount"; finish; }
first=$(ls_times "$m/small")
expect_eq "stat small/m1" "1000000000.500000000" "$(mtime "$m/small/m1")"
sleep 2.5
expect_eq "stat small/m1 after expiry" "1000000000.500000000" "$(mtime "$m/small/m1")"
expect_eq "ls -l small after expiry" "$first" "$(ls_times "$m/small")"
expect_eq "stat large/plain after expiry" "$large_plain" "$(mtime "$m/large/plain")"

# 3. rsync -a out of the mount and again: the second run finds nothing to copy.
copy=$work/copy
timeout 120 rsync -a "$m/" "$copy/" || fail "rsync -a"
again=$(timeout 120 rsync -ai "$m/" "$copy/")
expect_eq "a second rsync -a copies nothing" "" "$again"
expect_eq "the copy keeps X-Object-Meta-Mtime" "1000000000" "$(stat -c %Y "$copy/small/m1")"
fusermount3 -u "$m"

# 4. mtime=server: Last-Modified everywhere, no HEAD for it.
m=$work/d
mount_swiftfs "$m" -o mtime=server "$container" || { fail "mount"; finish; }
server_m1=$(mtime "$m/small/m1")
[ "$server_m1" != "1000000000.500000000" ] && pass "mtime=server ignores X-Object-Meta-Mtime" ||
  fail "mtime=server showed X-Object-Meta-Mtime"
expect_eq "mtime=server: ls -l and stat agree" "${server_m1%.*}" \
  "$(ls_times "$m/small" | awk '$1=="m1"{print $2}')"
pid=$SWIFTFS_PID
fusermount3 -u "$m" && wait_exit "$pid" 30
counters=$(grep "counters:" "$work/swiftfs.log" | tail -n1)
log "$counters"
# The one HEAD is the mount's check that the container exists.
expect_eq "mtime=server: no HEAD per file" "head_requests=1" \
  "$(grep -o 'head_requests=[0-9]*' <<<"$counters")"

# 5. large/ streamed (stream_dir_entries=50: no listing of it is held). find never stats
# what the kernel's first READDIRPLUS hands it: no HEAD of a file (issue 11). ls -l then
# shows every X-Object-Meta-Mtime, one HEAD per version (its stats queue them ahead).
m=$work/e
mount_swiftfs "$m" -o stream_dir_entries=50 "$container" || { fail "mount"; finish; }
expect_eq "find -type f of large/, streamed" "153" "$(timeout $T find "$m/large" -type f | wc -l)"
pid=$SWIFTFS_PID
fusermount3 -u "$m" && wait_exit "$pid" 30
# Two HEADs: the mount's of the container (that it exists), and find's statfs, a HEAD of
# the account (GNU find's fts calls fstatfs on the directories it reads). None of a file.
expect_eq "find of a streamed directory: no HEAD of a file" "2" "$(counter head_requests)"
m=$work/f
mount_swiftfs "$m" -o stream_dir_entries=50 "$container" || { fail "mount"; finish; }
want=$(for i in $(seq 0 149); do printf 'z%03d %d\n' "$i" $((1500000000 + i)); done)
expect_eq "ls -l of large/, streamed: each z's X-Object-Meta-Mtime" "$want" \
  "$(ls_times "$m/large" | grep '^z')"
expect_eq "ls -l of large/, streamed: m1" "m1 1000000000" "$(ls_times "$m/large" | grep '^m1 ')"
pid=$SWIFTFS_PID
fusermount3 -u "$m" && wait_exit "$pid" 30
expect_eq "ls -l of a streamed directory: one HEAD per version" "154" "$(counter head_requests)"
finish
