#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# The disk cache (-o cache_dir=): a second read and a read after a remount cost no GET of
# the object (counted in the proxy's access log); an object overwritten in Swift reads new
# after the attribute timeout; corrupt and truncated block files are refetched; the cap
# holds while readers fill the cache; a second mount on the same directory is refused;
# after kill -9 the next mount starts and serves right bytes; with -o fetch_on_stat,
# rsync -a (true mtimes) costs one request per file.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
swift_auth
proxy_log=${SWIFTFS_TEST_PROXY_LOG:-/var/tmp/swiftfs-local/log/proxy-access.log}
[ -r "$proxy_log" ] || { echo "SKIP: no proxy access log ($proxy_log)"; exit $SKIP; }
MiB=1048576
prefix="cache-$$"
cache=$work/cache

upload() { timeout 120 "${DATA_PY[@]}" put "$container" "$prefix/$1" "$2" || fail "upload $1"; }
md5() { timeout 300 md5sum <"$1" | cut -d' ' -f1; }
# gets_since MARK NAME: GETs of object NAME in the proxy log after line MARK.
mark() { wc -l <"$proxy_log"; }
gets_since() {
  sleep 1  # the proxy logs a request after answering it
  tail -n +"$(($1 + 1))" "$proxy_log" | grep -c " GET [^ ]*/$prefix/$2 " || true
}
drop_page_cache() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }
# block_files DIR: the number of block files under DIR/blocks.
block_files() { find "$1/blocks" -type f 2>/dev/null | wc -l; }
# wait_blocks DIR N: up to 60 s for N block files (the writes are asynchronous).
wait_blocks() {
  for _ in $(seq 1 120); do [ "$(block_files "$1")" -ge "$2" ] && return 0; sleep 0.5; done
  return 1
}
# unmount MOUNTPOINT: clean unmount of the swiftfs in $SWIFTFS_PID; its counters line.
unmount() {
  timeout 20 fusermount3 -u "$1" || fail "unmount $1"
  wait_exit "$SWIFTFS_PID" 30 || fail "swiftfs exit"
}
last_counter() { grep "counters:" "$work/swiftfs.log" | tail -n1 | grep -o "$1=[0-9]*" | cut -d= -f2; }

size=$((40 * MiB + 4321))
head -c "$size" /dev/urandom >"$work/big"
upload big "$work/big"
want=$(md5 "$work/big")
blocks=$(((size + MiB - 1) / MiB))
mnt=$work/mnt

# 1. First read fetches and writes through; the second (page cache dropped) reads disk.
mount_swiftfs "$mnt" "$container" -o cache_dir="$cache" || { fail "mount"; finish; }
expect_eq "first read" "$want" "$(md5 "$mnt/$prefix/big")"
wait_blocks "$cache" "$blocks" && pass "$blocks blocks written" || fail "blocks written: $(block_files "$cache")"
drop_page_cache
m=$(mark)
expect_eq "second read" "$want" "$(md5 "$mnt/$prefix/big")"
expect_eq "GETs of the second read" 0 "$(gets_since "$m" big)"

# 2. A second mount on the same cache directory is refused, before it mounts.
mkdir -p "$work/mnt-other"
out=$(timeout 30 "$SWIFTFS_BIN" -f -o cache_dir="$cache" "$container" "$work/mnt-other" 2>&1)
rc=$?
expect_eq "second owner exit status" 1 "$rc"
grep -q "is in use by another swiftfs mount (pid $SWIFTFS_PID)" <<<"$out" &&
  pass "second owner refused with a clear message" || fail "second owner: '$out'"
grep -q " $work/mnt-other " /proc/mounts && fail "second owner mounted"
unmount "$mnt"
expect_eq "disk_cache_writes of the first mount" "$blocks" "$(last_counter disk_cache_writes)"

# 3. Remount: every block is found again; no GET of the object.
mount_swiftfs "$mnt" "$container" -o cache_dir="$cache" || { fail "remount"; finish; }
m=$(mark)
expect_eq "read after remount" "$want" "$(md5 "$mnt/$prefix/big")"
expect_eq "GETs after remount" 0 "$(gets_since "$m" big)"
unmount "$mnt"
expect_eq "disk_cache_misses after remount" 0 "$(last_counter disk_cache_misses)"
hits=$(last_counter disk_cache_hits)
[ "$hits" -ge "$blocks" ] && pass "disk_cache_hits $hits" || fail "disk_cache_hits $hits < $blocks"

# 4. A corrupted and a truncated block file: right bytes, refetched, dropped.
mapfile -t files < <(find "$cache/blocks" -type f | sort | head -n 2)
printf 'X' | dd of="${files[0]}" bs=1 seek=5000 conv=notrunc status=none
truncate -s 70000 "${files[1]}"
mount_swiftfs "$mnt" "$container" -o cache_dir="$cache" || { fail "mount"; finish; }
m=$(mark)
expect_eq "read with a corrupt and a truncated block" "$want" "$(md5 "$mnt/$prefix/big")"
gets=$(gets_since "$m" big)
[ "$gets" -ge 1 ] && pass "damaged blocks refetched ($gets GETs)" || fail "no GET for damaged blocks"
unmount "$mnt"
expect_eq "disk_cache_corrupt" 2 "$(last_counter disk_cache_corrupt)"

# 5. Overwritten in Swift: after the attribute timeout a new open reads the new bytes.
mount_swiftfs "$mnt" "$container" -o cache_dir="$cache",attr_timeout=1,entry_timeout=1,dir_cache_timeout=1 ||
  { fail "mount"; finish; }
expect_eq "read before overwrite" "$want" "$(md5 "$mnt/$prefix/big")"
head -c "$size" /dev/urandom >"$work/big2"
upload big "$work/big2"
sleep 2
expect_eq "read after overwrite is the new version" "$(md5 "$work/big2")" "$(md5 "$mnt/$prefix/big")"
unmount "$mnt"

# 6. Filling past the cap: the block files never exceed it by more than one block per reader.
cap=$((12 * MiB))
for i in 1 2 3; do head -c $((6 * MiB)) /dev/urandom >"$work/fill$i"; upload "fill$i" "$work/fill$i"; done
small=$work/cache-small
mount_swiftfs "$mnt" "$container" -o cache_dir="$small",cache_size=$cap || { fail "mount"; finish; }
peak_file=$work/peak
( peak=0
  while [ ! -e "$work/stop-sampling" ]; do
    used=$(find "$small/blocks" "$small/tmp" -type f -printf '%s\n' 2>/dev/null |
      awk '{s += int(($1 + 4095) / 4096) * 4096} END {print s + 0}')
    [ "$used" -gt "$peak" ] && peak=$used && echo "$peak" >"$peak_file"
    sleep 0.05
  done ) &
sampler=$!
for i in 1 2 3; do
  expect_eq "fill$i" "$(md5 "$work/fill$i")" "$(md5 "$mnt/$prefix/fill$i")"
done
sleep 2
touch "$work/stop-sampling"
wait "$sampler"
peak=$(cat "$peak_file" 2>/dev/null || echo 0)
[ "$peak" -le $((cap + MiB + 65536)) ] && pass "peak cache use $peak <= cap $cap + one block" ||
  fail "peak cache use $peak above cap $cap + one block"
unmount "$mnt"
[ "$(last_counter disk_cache_evictions)" -gt 0 ] && pass "evictions counted" || fail "no evictions"

# 7. kill -9 while blocks are being written: the next mount starts and serves right bytes.
crash=$work/cache-crash
mount_swiftfs "$mnt" "$container" -o cache_dir="$crash" || { fail "mount"; finish; }
(timeout 60 cat "$mnt/$prefix/big" >/dev/null 2>&1) &
reader=$!
sleep 0.2
kill -9 "$SWIFTFS_PID"
wait "$reader" 2>/dev/null
timeout 10 fusermount3 -uz "$mnt" 2>/dev/null
wait_unmounted "$mnt" 10 || fail "crashed mount gone"
# What a crash in the middle of a block write leaves, and a block torn by a power loss.
echo "half a block" >"$crash/tmp/999999-1"
torn=$(find "$crash/blocks" -type f | head -n1)
[ -n "$torn" ] && truncate -s 4096 "$torn"
mount_swiftfs "$mnt" "$container" -o cache_dir="$crash" || { fail "mount after kill -9"; finish; }
pass "mount after kill -9"
expect_eq "read after kill -9 (new version)" "$(md5 "$work/big2")" "$(md5 "$mnt/$prefix/big")"
for _ in $(seq 1 20); do [ -z "$(ls -A "$crash/tmp")" ] && break; sleep 0.5; done
expect_eq "leftover temporary files removed" "" "$(ls -A "$crash/tmp")"
unmount "$mnt"

# 8. A tree of small files copied out twice, with a remount between: the second copy reads
# every file from the cache, and the walk's read-ahead across files fetches none of them.
# put_tree NAME COUNT SPREAD [HEADER]: COUNT random files of 1 to SPREAD KiB in
# $work/NAME-src, each uploaded as $prefix/NAME/fNN (with HEADER when given).
put_tree() {
  local name=$1 count=$2 spread=$3 header=${4:-} i
  mkdir -p "$work/$name-src"
  for i in $(seq -w 1 "$count"); do
    head -c $((1024 * (1 + 10#$i % spread))) /dev/urandom >"$work/$name-src/f$i"
    timeout 30 curl -sf -o /dev/null -X PUT -H "X-Auth-Token: $TOKEN" ${header:+-H "$header"} \
      --data-binary @"$work/$name-src/f$i" "$STORAGE_URL/$container/$prefix/$name/f$i" ||
      fail "upload $name/f$i"
  done
}
# tree_requests_since MARK METHODS NAME: requests (METHODS: GET, or GET\|HEAD) for objects
# under $prefix/NAME/ in the proxy log after line MARK.
tree_requests_since() {
  sleep 1
  tail -n +"$(($1 + 1))" "$proxy_log" | grep -c " \($2\) [^ ]*/$prefix/$3/" || true
}
tree_cache=$work/cache-tree
put_tree tree 40 20
for pass in 1 2; do
  mount_swiftfs "$mnt" "$container" -o cache_dir="$tree_cache" || { fail "mount"; finish; }
  m=$(mark)
  rm -rf "$work/tree-copy"
  timeout 120 cp -r "$mnt/$prefix/tree" "$work/tree-copy" || fail "cp -r, pass $pass"
  diff -r "$work/tree-src" "$work/tree-copy" >/dev/null &&
    pass "cp -r, pass $pass: same bytes" || fail "cp -r, pass $pass: bytes differ"
  gets=$(tree_requests_since "$m" GET tree)
  unmount "$mnt"
  if [ "$pass" = 1 ]; then
    [ "$gets" -ge 40 ] && pass "first cp -r: $gets GETs" || fail "first cp -r: $gets GETs < 40"
  else
    expect_eq "GETs of the second cp -r" 0 "$gets"
    expect_eq "readahead_files of the second cp -r" 0 "$(last_counter readahead_files)"
  fi
done

# 9. -o fetch_on_stat: rsync -a with true mtimes (mtime=meta, the default) stats every file
# before it reads any; the stats GET the files whole into the cache, and the reads find
# them there: one request per file, where HEAD + GET was two.
put_tree rtree 60 30 "X-Object-Meta-Mtime: 1000000000.000000"
mount_swiftfs "$mnt" "$container" -o cache_dir="$work/cache-rsync",fetch_on_stat ||
  { fail "mount"; finish; }
m=$(mark)
timeout 120 rsync -a "$mnt/$prefix/rtree/" "$work/rtree-copy/" || fail "rsync -a, fetch_on_stat"
diff -r "$work/rtree-src" "$work/rtree-copy" >/dev/null &&
  pass "rsync -a, fetch_on_stat: same bytes" || fail "rsync -a, fetch_on_stat: bytes differ"
expect_eq "rsync -a, fetch_on_stat: true mtimes" "1000000000" \
  "$(stat -c %Y "$work/rtree-copy"/f* | sort -u | tr '\n' ' ' | xargs)"
requests=$(tree_requests_since "$m" 'GET\|HEAD' rtree)
[ "$requests" -le 66 ] && pass "rsync -a of 60 files, fetch_on_stat: $requests object requests" ||
  fail "rsync -a of 60 files, fetch_on_stat: $requests object requests (> 1.1 per file)"
unmount "$mnt"
stat_fetches=$(last_counter stat_fetches)
[ "$stat_fetches" -ge 54 ] && pass "stat_fetches $stat_fetches" || fail "stat_fetches $stat_fetches < 54"
out=$(timeout 30 "$SWIFTFS_BIN" -f -o fetch_on_stat "$container" "$work/mnt-other" 2>&1)
grep -q "fetch_on_stat needs cache_dir" <<<"$out" && pass "fetch_on_stat without cache_dir refused" ||
  fail "fetch_on_stat without cache_dir: '$out'"
finish
