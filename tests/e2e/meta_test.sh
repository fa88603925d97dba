#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# xattrs, symlinks, df.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
swift_auth
mnt=$work/mnt
mount_swiftfs "$mnt" "$container" || { fail "mount"; finish; }

out=$(timeout $T getfattr -d -m - "$mnt/meta/object" 2>&1)
echo "$out"
grep -q '^user.swift.meta.color="blue"' <<<"$out" && pass "getfattr: meta.color" || fail "getfattr: meta.color"
grep -q '^user.swift.content_type="text/x-e2e"' <<<"$out" && pass "getfattr: content_type" || fail "getfattr: content_type"
grep -q "^user.swift.etag=\"$(etag "$container" meta/object)\"" <<<"$out" && pass "getfattr: etag" || fail "getfattr: etag"
grep -q '^user.swift.timestamp=' <<<"$out" && pass "getfattr: timestamp" || fail "getfattr: timestamp"
check "getfattr of an absent xattr fails (ENODATA)" bash -c \
  "getfattr -n user.swift.meta.nope '$mnt/meta/object' 2>&1 | grep -q 'No such attribute'"
expect_eq "getfattr -n (value only)" "blue" \
  "$(timeout $T getfattr --only-values -n user.swift.meta.color "$mnt/meta/object")"

expect_eq "readlink of a Swift symlink" "../sizes/size-1" "$(timeout $T readlink "$mnt/links/to-size-1")"
expect_eq "symlink is followed" "$(etag "$container" sizes/size-1)" \
  "$(timeout $T md5sum <"$mnt/links/to-size-1" | cut -d' ' -f1)"
check "a dangling symlink is a symlink" test -L "$mnt/links/dangling"
check "a dangling symlink does not resolve" bash -c "! test -e '$mnt/links/dangling'"

check "df" bash -c "df -h '$mnt' | tee /dev/stderr | grep -q swiftfs"
check "stat -f" bash -c "stat -f '$mnt' >/dev/null"
finish
