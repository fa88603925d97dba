#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Trees written with ordinary tools, checked in Swift byte for byte: rsync -a of a tree
# with odd names (twice: the second run transfers nothing; again after a remount), tar -x
# then tar -c round trip, git clone from a local bare repository then git fsck, and
# mkdir -p / rmdir / rm -r / mv of files and directories. No segment is left unreferenced.
. "$(dirname "$0")/write_lib.sh"
w_init
mnt=$work/mnt
w_mount "$mnt" || { fail "mount"; finish; }
w_writable "$mnt"

# The source tree: odd names at several depths, sizes around a segment, an empty directory.
src=$work/src
mkdir -p "$src/sub dir/deeper" "$src/empty dir" "$src/utf8-é"
i=0
while IFS= read -r -d '' name; do
  i=$((i + 1))
  randfile "$src/$name" $((i * 37))
  randfile "$src/sub dir/$name" 1
  printf '%s\n' "$name" >"$src/sub dir/deeper/$name"
done < <(printf '%s\0' "with space" "per%cent" "hash#tag" "quest?ion" "plus+sign" \
  "amp&ersand" "quote'single" 'quote"double' 'back\slash' $'tab\there' "-leading-dash" \
  "utf8-éñ-日本" "semi;colon" "star*" "brackets[1]" "equals=sign")
: >"$src/utf8-é/empty"
randfile "$src/utf8-é/segmented" $((W_SEG * 2 + 11))

# rsync -a: the tree arrives whole; a second run finds nothing to send.
transferred() { sed -n 's/^Number of regular files transferred: //p' <<<"$1" | tr -d ','; }
out=$(timeout 300 rsync -a --stats "$src/" "$mnt/tree/" 2>&1) && pass "rsync -a" || fail "rsync -a: $out"
tree_in_swift "rsync -a" "$src" "tree/"
check "rsync: empty directory" test -d "$mnt/tree/empty dir"
check "rsync: tree reads back (diff -r)" diff -r "$src" "$mnt/tree"
out=$(timeout 300 rsync -a --stats "$src/" "$mnt/tree/" 2>&1) || fail "second rsync: $out"
expect_eq "second rsync transfers nothing" 0 "$(transferred "$out")"

# tar -x into the mount, then tar -c of it: the same files come back.
tar -cf "$work/src.tar" -C "$src" .
check "mkdir for tar" timeout "$T" mkdir "$mnt/untar"
check "tar -x" timeout 300 tar -xf "$work/src.tar" -C "$mnt/untar"
tree_in_swift "tar -x" "$src" "untar/"
mkdir -p "$work/back"
check "tar -c of the mount" timeout 300 tar -cf "$work/back.tar" -C "$mnt/untar" .
check "tar round trip extracts" tar -xf "$work/back.tar" -C "$work/back"
check "tar round trip is identical (diff -r)" diff -r "$src" "$work/back"

# git clone of a local bare repository, then git fsck (every object's hash checked).
repo=$work/repo
git init -q "$repo" && (
  cd "$repo" && git config user.email t@example.com && git config user.name t &&
    for n in 1 2 3; do
      head -c $((n * 5000)) /dev/urandom | base64 >"file$n.txt"
      mkdir -p "dir$n" && echo "$n" >"dir$n/readme"
      git add -A && git commit -qm "commit $n"
    done
) && git clone -q --bare "$repo" "$work/bare.git" || fail "making the source repository"
check "git clone into the mount" timeout 300 git clone -q "$work/bare.git" "$mnt/clone"
check "git fsck --full" timeout 300 git -C "$mnt/clone" fsck --full --strict
expect_eq "git status is clean" "" "$(timeout 120 git -C "$mnt/clone" status --porcelain 2>&1)"
same_in_swift "git checkout file" "$repo/file3.txt" clone/file3.txt

# mkdir -p / rmdir / rm -r / mv.
check "mkdir -p" timeout "$T" mkdir -p "$mnt/p/q/r"
check "mkdir -p: visible" test -d "$mnt/p/q/r"
[ -n "$("${W_CHECK[@]}" names "$W" p/q/r)" ] && pass "mkdir -p: marker in Swift" || fail "mkdir -p: no p/q/r in Swift"
out=$(timeout "$T" rmdir "$mnt/p/q" 2>&1) && fail "rmdir of a non-empty directory succeeded" ||
  { grep -q "not empty" <<<"$out" && pass "rmdir non-empty: ENOTEMPTY" || fail "rmdir non-empty: $out"; }
check "rmdir" timeout "$T" rmdir "$mnt/p/q/r"
check "rmdir: gone" test ! -e "$mnt/p/q/r"
expect_eq "rmdir: gone in Swift" "" "$("${W_CHECK[@]}" names "$W" p/q/r)"
check "mv of a file" timeout "$T" mv "$mnt/tree/star*" "$mnt/p/moved star"
same_in_swift "mv of a file: new name" "$src/star*" "p/moved star"
expect_eq "mv of a file: old name gone" missing "$(swift_md5 'tree/star*')"
check "mv of a segmented file" timeout "$T" mv "$mnt/tree/utf8-é/segmented" "$mnt/p/segmented"
same_in_swift "mv of a segmented file" "$src/utf8-é/segmented" p/segmented
check "mv of a directory" timeout 300 mv "$mnt/untar" "$mnt/untar2"
check "mv of a directory: gone" test ! -e "$mnt/untar"
tree_in_swift "mv of a directory" "$src" "untar2/"
expect_eq "mv of a directory: nothing left under the old name" "" "$("${W_CHECK[@]}" names "$W" untar/)"
check "rm -r" timeout 300 rm -r "$mnt/untar2"
expect_eq "rm -r: nothing left in Swift" "" "$("${W_CHECK[@]}" names "$W" untar2/)"

# After a remount: rsync still finds nothing to send, and the tree reads the same.
w_unmount "$mnt"
w_mount "$mnt" || { fail "remount"; finish; }
mv "$src/star*" "$work/star" && mv "$src/utf8-é/segmented" "$work/segmented" # moved away above
out=$(timeout 300 rsync -a --stats --exclude 'star*' --exclude segmented "$src/" "$mnt/tree/" 2>&1) ||
  fail "rsync after remount: $out"
expect_eq "rsync after a remount transfers nothing" 0 "$(transferred "$out")"
check "after remount: tree reads back" diff -r "$src" "$mnt/tree"
check "after remount: git fsck" timeout 300 git -C "$mnt/clone" fsck --full
# A large file renamed through the mount (mv of untar/) keeps its segments under its first
# name, and deleting it (rm -r untar2) leaves them, by the rule of fs/core/own_segments.h
# (a segment another manifest may name is never deleted with a file): the collector finds
# them referenced by no manifest and removes them.
if out=$(timeout 120 "$SWIFTFS_BIN" --collect-orphans -o orphan_min_age=0 "$W" 2>&1); then
  pass "swiftfs --collect-orphans: $(tail -n1 <<<"$out")"
else
  fail "swiftfs --collect-orphans: $out"
fi
no_orphans "$mnt"
finish
