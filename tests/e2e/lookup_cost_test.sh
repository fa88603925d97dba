#!/usr/bin/env bash
# What lookups cost on the real Swift, from the daemon's counters at unmount: files read by
# path with no listing first (a known file list), and a walk (readdir, then its names) that
# outlives the directory cache time. Neither may pay a HEAD or a probe per file. And `find`
# of a streamed directory with the default mtime=meta, which must not HEAD its files.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)

unmount() {
  local pid=$SWIFTFS_PID
  fusermount3 -u "$1" && wait_exit "$pid" 30
  log "$(grep "counters:" "$work/swiftfs.log" | tail -n1)"
}

# 1. cat of 101 files by path in many/ (10,050 objects) on a cold mount: the first file is
# one bounded listing, the next lookups list many/ once (its lookup's first page and one
# more request); then GETs only.
# mtime=server: this measures what finding names costs (1b: with mtime=meta).
mnt=$work/mnt
mount_swiftfs "$mnt" -o mtime=server "$container" || { fail "mount"; finish; }
files=()
for ((i = 0; i <= 10000; i += 100)); do files+=("$mnt/$(printf 'many/f%05d' "$i")"); done
T=300 check "cat of 101 files by path" sh -c 'cat "$@" >/dev/null' _ "${files[@]}"
expect_eq "content of the last" "10000" "$(timeout $T cat "$mnt/many/f10000")"
unmount "$mnt"
# The one HEAD is the mount's check that the container exists.
expect_eq "HEADs of the cat by path" "1" "$(counter head_requests)"
lists=$(counter list_requests)
if [ "$lists" -le 4 ]; then pass "listings of the cat by path: $lists"; else
  fail "listings of the cat by path: $lists, expected at most 4"; fi
expect_eq "GETs of the cat by path" "101" "$(counter get_requests)"

# 1b. The same with mtime=meta (the default): each lookup needs its version's metadata,
# which no listing carries. A small file's lookup GETs it whole instead of a HEAD, and the
# open takes those bytes: still one request per file.
mount_swiftfs "$mnt" -o mtime=meta "$container" || { fail "mount mtime=meta"; finish; }
T=300 check "cat of 101 files by path, mtime=meta" sh -c 'cat "$@" >/dev/null' _ "${files[@]}"
unmount "$mnt"
expect_eq "HEADs of the cat by path, mtime=meta" "1" "$(counter head_requests)"
expect_eq "GETs of the cat by path, mtime=meta" "101" "$(counter get_requests)"
expect_eq "opens that took their lookup's bytes" "101" "$(counter lookup_get_hits)"

# 2. A walk: readdir of many/, then its first 2,000 names read in listing order (as tar c
# and cp -r do), with a directory cache time of 5 s: the walk outlives it several times,
# and its directory stays warm by re-listing (two requests each), not by a HEAD per file.
# readahead_files=0: the walk stops after 2,000 names, and the files read ahead past them
# would be GETs the walk never asked for (read-ahead is measured by scripts/bench-tree).
mount_swiftfs "$mnt" -o mtime=server,readahead_files=0,dir_cache_timeout=5,attr_timeout=5,entry_timeout=5 "$container" ||
  { fail "mount with short timeouts"; finish; }
start=$SECONDS
timeout 300 ls -f "$mnt/many" | grep -v '^\.\.\?$' | head -n 2000 >"$work/walk"
# shellcheck disable=SC2016  # $1 and $2 expand in the child shell
T=300 check "the walk reads 2,000 names" sh -c 'cd "$1/many" && xargs cat <"$2" >/dev/null' _ \
  "$mnt" "$work/walk"
took=$((SECONDS - start))
log "the walk took ${took}s"
unmount "$mnt"
expect_eq "HEADs of the walk" "1" "$(counter head_requests)"
expect_eq "GETs of the walk" "2000" "$(counter get_requests)"
lists=$(counter list_requests)
# Two pages per listing, at most one listing a cache time (5 s), and a few to start.
max=$((2 * (took / 5 + 1) + 4))
if [ "$lists" -le "$max" ]; then pass "listings of the walk: $lists in ${took}s"; else
  fail "listings of the walk: $lists in ${took}s, expected at most $max"; fi

# 3. find of many/ streamed (stream_dir_entries=1000: 10,050 entries, listed a chunk at a
# time) with the default mtime=meta. The kernel's first READDIRPLUS (about 800 entries) is
# sent to find too, which never stats them: no HEAD of a file (issue 11: about 700 for
# 100,000 objects, queued by that first reply).
mount_swiftfs "$mnt" -o stream_dir_entries=1000 "$container" || { fail "mount, streamed"; finish; }
expect_eq "find -type f of many/, streamed" "10050" \
  "$(timeout 300 find "$mnt/many" -type f | wc -l)"
expect_eq "find -name of many/, streamed" "$mnt/many/f01234" \
  "$(timeout 300 find "$mnt/many" -name f01234)"
unmount "$mnt"
# Two HEADs: the mount's of the container (that it exists), and find's statfs, a HEAD of
# the account (GNU find's fts calls fstatfs on the directories it reads). None of a file.
expect_eq "HEADs of find of a streamed directory" "2" "$(counter head_requests)"
finish
