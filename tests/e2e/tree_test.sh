#!/usr/bin/env bash
# Listings past one page: a pseudo-directory of 10,050 objects (Swift pages hold 10,000).
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
mnt=$work/mnt
mount_swiftfs "$mnt" "$container" || { fail "mount"; finish; }

expect_eq "find many | wc -l" "10051" "$(timeout 300 find "$mnt/many" | wc -l)"
expect_eq "ls many | wc -l" "10050" "$(timeout 300 ls "$mnt/many" | wc -l)"
expect_eq "ls -la many (readdirplus) | wc -l" "10053" "$(timeout 300 ls -la "$mnt/many" | wc -l)"
expect_eq "last name of the second page" "f10049" "$(timeout $T ls "$mnt/many" | tail -n1)"
expect_eq "content of f10049" "10049" "$(timeout $T cat "$mnt/many/f10049")"
expect_eq "find -type f under the root" "10050" \
  "$(timeout 300 find "$mnt/many" -type f | wc -l)"
# A second walk is served from the caches and must see the same tree.
expect_eq "second find" "10051" "$(timeout 300 find "$mnt/many" | wc -l)"
# Mounting the pseudo-directory itself as the root.
mnt2=$work/mnt2
mount_swiftfs "$mnt2" "$container/many" || fail "mount of a prefix"
expect_eq "prefix root lists its objects" "10050" "$(timeout 300 ls "$mnt2" | wc -l)"

# The same tree streamed a chunk at a time (a threshold below its size): every name once,
# in order within the listing's chunks, with attributes, and again after a rewind.
mnt4=$work/mnt4
mount_swiftfs "$mnt4" -o stream_dir_entries=3000 "$container" || fail "mount with streaming"
expect_eq "streamed ls many | wc -l" "10050" "$(timeout 300 ls "$mnt4/many" | wc -l)"
expect_eq "streamed names are unique" "10050" "$(timeout 300 ls -f "$mnt4/many" | grep -v '^\.\.\?$' | sort -u | wc -l)"
expect_eq "streamed ls -l | wc -l" "10051" "$(timeout 300 ls -l "$mnt4/many" | wc -l)"
expect_eq "streamed size of f10049" "5" "$(timeout $T stat -c %s "$mnt4/many/f10049")"
expect_eq "streamed find -type f" "10050" "$(timeout 300 find "$mnt4/many" -type f | wc -l)"

# Request cost of `ls -l` on a cold mount, from the daemon's own counters at unmount: the
# lookup of `many` probes its first entries and the listing goes on from there, so 10,050
# objects cost 2 listing requests (one per 10,000 entries) and, with mtime=server, no HEAD
# or GET per file (mtime=meta adds one HEAD per object version: tests/e2e/mtime_test.sh).
mnt3=$work/mnt3
mount_swiftfs "$mnt3" -o mtime=server "$container" || fail "cold mount"
expect_eq "ls -l many on a cold mount" "10051" "$(timeout 300 ls -l "$mnt3/many" | wc -l)"
pid3=$SWIFTFS_PID
fusermount3 -u "$mnt3" && wait_exit "$pid3" 30
counters=$(grep "counters:" "$work/swiftfs.log" | tail -n1)
log "$counters"
# A request retried after a 5xx or timeout (a loaded CI machine) counts twice.
lists=$(grep -o 'list_requests=[0-9]*' <<<"$counters" | cut -d= -f2)
retries=$(grep -o 'retries=[0-9]*' <<<"$counters" | cut -d= -f2)
expect_eq "listing requests of ls -l, retries aside" "2" "$((${lists:-0} - ${retries:-0}))"
expect_eq "GETs of ls -l" "get_requests=0" "$(grep -o 'get_requests=[0-9]*' <<<"$counters")"
# The one HEAD is the mount's check that the container exists.
expect_eq "HEADs of ls -l" "head_requests=1" "$(grep -o 'head_requests=[0-9]*' <<<"$counters")"
finish
