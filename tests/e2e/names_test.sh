#!/usr/bin/env bash
# Names of every character class map byte for byte; names no POSIX path can carry are
# skipped; the file/directory clash; directory markers.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
mnt=$work/mnt
mount_swiftfs "$mnt" "$container" || { fail "mount"; finish; }

while IFS= read -r -d '' name; do
  if [ -f "$mnt/names/$name" ] && [ "$(timeout $T cat -- "$mnt/names/$name")" == "$name" ]; then
    pass "name $(printf %q "$name")"
  else
    fail "name $(printf %q "$name") missing or wrong content"
  fi
done < <(/usr/bin/python3 -B -c '
import sys; sys.path.insert(0, sys.argv[1]); import e2e_data
sys.stdout.write("".join(n + "\0" for n in e2e_data.ODD_NAMES))' "$E2E_DIR")
expect_eq "names/ holds exactly the odd names" "16" "$(timeout $T ls -A "$mnt/names" | wc -l)"
# skip/a//b: the prefix skip/a/ is a directory, but the object in it has an empty
# component, so the directory is empty; ".", ".." and 300-byte components show nothing.
expect_eq "skip/ shows only what POSIX can name" "a visible" "$(timeout $T ls -A "$mnt/skip" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "skip/a is empty" "" "$(timeout $T ls -A "$mnt/skip/a")"
check "a name over 255 bytes is ENAMETOOLONG" bash -c \
  "stat '$mnt/skip/$(printf 'L%.0s' $(seq 300))' 2>&1 | grep -q 'File name too long'"
check "clash: a is a directory" test -d "$mnt/clash"
check "clash: a/inside readable" grep -q inside "$mnt/clash/inside"
check "directory marker with a trailing slash is a directory" test -d "$mnt/marker"
check "application/directory marker is a directory" test -d "$mnt/emptydir"
expect_eq "one entry for marker" "1" "$(timeout $T ls -A "$mnt" | grep -c '^marker$')"
check "missing name is ENOENT" bash -c "! stat '$mnt/no-such-name' 2>/dev/null"
finish
