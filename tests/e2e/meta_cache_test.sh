#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Version metadata in the disk cache (-o cache_dir=, mtime=meta by default): `ls -l` of
# objects carrying X-Object-Meta-Mtime costs one HEAD per object on the first mount; after
# a remount on the same cache_dir the same `ls -l`, and getfattr of the user metadata and
# content type, cost no HEAD of an object and show the same mtimes: the daemon's
# head_requests (counters line) are those of `ls -l` with mtime=server (the container's
# HEAD at mount), and the proxy log has no HEAD of the objects. A damaged metadata file costs HEADs again, never wrong mtimes; a mount
# without cache_dir keeps nothing.
. "$(dirname "$0")/lib.sh"
require_swift
container="swiftfs-e2e-metacache-$(date +%s)-$$"
trap 'timeout 120 "${DATA_PY[@]}" cleanup "$container" >/dev/null 2>&1; cleanup' EXIT
count=60

E2E_DIR="$E2E_DIR" /usr/bin/python3 - "$container" "$count" <<'PY' || { fail "upload"; finish; }
import os, sys
sys.path.insert(0, os.environ["E2E_DIR"])
import e2e_data
s = e2e_data.Swift()
c, n = sys.argv[1], int(sys.argv[2])
status, _ = s.request("PUT", c)
assert status in (201, 202), status
for i in range(n):
    s.put(c, f"d/o{i:03d}", b"x%d" % i, {"X-Object-Meta-Mtime": str(1500000000 + i)})
s.put(c, "d/tagged", b"tagged", {"X-Object-Meta-Mtime": "1234567890.25",
                                 "X-Object-Meta-Color": "blue", "Content-Type": "text/x-demo"})
PY

cache=$work/cache
m=$work/mnt
# `ls -l` with epoch times: "NAME SECONDS" per file.
ls_times() { timeout $T ls -l --time-style=+%s "$1" | awk 'NR>1{print $7, $6}'; }
last_counter() { grep "counters:" "$work/swiftfs.log" | tail -n1 | grep -o "$1=[0-9]*" | cut -d= -f2; }
# What the version metadata cost: HEADs, and the GETs of small files a stat made instead of
# a HEAD (lookup_gets: the reply carries the same headers).
metadata_requests() { echo $(($(last_counter head_requests) + $(last_counter lookup_gets))); }
proxy_log=${SWIFTFS_TEST_PROXY_LOG:-/var/tmp/swiftfs-local/log/proxy-access.log}
mark() { if [ -r "$proxy_log" ]; then wc -l <"$proxy_log"; else echo 0; fi; }
# object_heads_since MARK: HEADs of the objects under d/ in the proxy log after line MARK.
object_heads_since() {
  [ -r "$proxy_log" ] || { echo 0; return; }
  sleep 1  # the proxy logs a request after answering it
  tail -n +"$(($1 + 1))" "$proxy_log" | grep -c " HEAD [^ ]*/$container/d/" || true
}
unmount() {
  timeout 20 fusermount3 -u "$m" || fail "unmount"
  wait_exit "$SWIFTFS_PID" 30 || fail "swiftfs exit"
}
want=$( (for ((i = 0; i < count; i++)); do printf 'o%03d %d\n' "$i" $((1500000000 + i)); done
  echo "tagged 1234567890") | sort)

# 0. The HEADs of `ls -l` with mtime=server: the floor (no object's HEAD).
mount_swiftfs "$m" "$container" -o mtime=server || { fail "mount"; finish; }
timeout $T ls -l "$m/d" >/dev/null || fail "ls -l, mtime=server"
unmount
floor=$(last_counter head_requests)
log "ls -l with mtime=server: head_requests=$floor"

# 1. First mount: every version's metadata costs a request, and goes into cache_dir.
mount_swiftfs "$m" "$container" -o cache_dir="$cache" || { fail "mount"; finish; }
first=$(ls_times "$m/d" | sort)
expect_eq "ls -l, first mount: the X-Object-Meta-Mtime of every object" "$want" "$first"
unmount
heads=$(metadata_requests)
[ "${heads:-0}" -ge $((floor + count + 1)) ] && pass "first mount: $heads HEADs" ||
  fail "first mount made $heads HEADs, expected at least $((floor + count + 1))"
[ -s "$cache/meta/versions.db" ] && pass "metadata file written" || fail "no $cache/meta/versions.db"

# 2. Remount: the same `ls -l` and getfattr from the cache, no HEAD.
mount_swiftfs "$m" "$container" -o cache_dir="$cache" || { fail "remount"; finish; }
at=$(mark)
expect_eq "ls -l after remount: same mtimes" "$first" "$(ls_times "$m/d" | sort)"
expect_eq "stat after remount: sub-second mtime" "1234567890.250000000" \
  "$(timeout $T stat -c %.9Y "$m/d/tagged")"
expect_eq "user metadata after remount" "blue" \
  "$(timeout $T getfattr --only-values -n user.swift.meta.color "$m/d/tagged")"
expect_eq "content type after remount" "text/x-demo" \
  "$(timeout $T getfattr --only-values -n user.swift.content_type "$m/d/tagged")"
unmount
expect_eq "head_requests after remount (those of mtime=server)" "$floor" \
  "$(last_counter head_requests)"
expect_eq "HEADs of objects after remount (proxy log)" 0 "$(object_heads_since "$at")"

# 3. A damaged metadata file: HEADs again, right mtimes, and a sound file afterwards.
mv "$cache/meta/versions.db" "$work/good.db"
head -c 100000 /dev/urandom >"$cache/meta/versions.db"
rm -f "$cache/meta/versions.db-wal" "$cache/meta/versions.db-shm"
mount_swiftfs "$m" "$container" -o cache_dir="$cache" || { fail "mount on a damaged file"; finish; }
expect_eq "ls -l with a damaged metadata file" "$want" "$(ls_times "$m/d" | sort)"
unmount
heads=$(metadata_requests)
[ "${heads:-0}" -ge $((floor + count + 1)) ] && pass "damaged file: $heads HEADs" ||
  fail "damaged file: $heads HEADs"
grep -q "unusable" "$work/swiftfs.log" && pass "damaged file reported" || fail "damaged file not logged"
mount_swiftfs "$m" "$container" -o cache_dir="$cache" || { fail "remount"; finish; }
expect_eq "ls -l after the file was made anew" "$want" "$(ls_times "$m/d" | sort)"
unmount
expect_eq "head_requests after the file was made anew" "$floor" "$(last_counter head_requests)"

# 4. Without cache_dir nothing is kept: a second mount HEADs again.
mount_swiftfs "$m" "$container" || { fail "mount without cache_dir"; finish; }
expect_eq "ls -l without cache_dir" "$want" "$(ls_times "$m/d" | sort)"
unmount
heads=$(metadata_requests)
[ "${heads:-0}" -ge $((floor + count + 1)) ] && pass "without cache_dir: $heads HEADs" ||
  fail "without cache_dir: $heads HEADs"
finish
