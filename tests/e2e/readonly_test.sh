#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# -o ro: every write fails with EROFS, and modes show it.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
mnt=$work/mnt
mount_swiftfs "$mnt" -o ro "$container" || { fail "mount"; finish; }

erofs() {
  local what=$1
  shift
  local out
  if ! out=$(timeout "$T" "$@" 2>&1) && grep -q "Read-only file system" <<<"$out"; then
    pass "$what: EROFS"
  else
    fail "$what: expected EROFS, got '$out'"
  fi
}
erofs "touch new" touch "$mnt/new-file"
erofs "touch existing" touch "$mnt/sizes/size-1"
erofs "mkdir" mkdir "$mnt/newdir"
erofs "rm" rm -f "$mnt/sizes/size-1"
erofs "rmdir" rmdir "$mnt/emptydir"
erofs "mv" mv "$mnt/sizes/size-1" "$mnt/sizes/renamed"
erofs "ln -s" ln -s target "$mnt/link"
erofs "ln" ln "$mnt/sizes/size-1" "$mnt/hardlink"
erofs "append" bash -c "echo x >>'$mnt/sizes/size-1'"
erofs "truncate" truncate -s 0 "$mnt/sizes/size-1"
erofs "chmod" chmod 777 "$mnt/sizes/size-1"
erofs "setfattr" setfattr -n user.x -v y "$mnt/sizes/size-1"
expect_eq "root mode" "dr-xr-xr-x" "$(timeout $T stat -c %A "$mnt")"
expect_eq "file mode" "-r--r--r--" "$(timeout $T stat -c %A "$mnt/sizes/size-1")"
check "data unchanged" test "$(stat -c %s "$mnt/sizes/size-1")" -eq 1
grep " $mnt " /proc/mounts | grep -q " ro," && pass "mounted ro" || fail "not mounted ro"
finish
