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
finish
