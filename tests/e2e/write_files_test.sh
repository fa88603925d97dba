#!/usr/bin/env bash
# Writes of whole files and changes to them, each checked byte for byte in Swift (GET
# through the Swift API) and through the mount: cp of 0 B, 1 B, segment size -1/0/+1 and a
# multi-segment file; an overwrite of a segmented file by a small one; >> appends; truncate
# (shrink, grow, 0); dd conv=notrunc patches; an editor-style save (temp file, fsync, rename
# over). After a remount everything reads the same, and no segment is left unreferenced.
. "$(dirname "$0")/write_lib.sh"
w_init
mnt=$work/mnt
ref=$work/ref # local copies of what each object must hold
mkdir -p "$ref"
w_mount "$mnt" || { fail "mount"; finish; }
w_writable "$mnt"

# put NAME SIZE: a file of SIZE random bytes, copied in with cp.
put() {
  randfile "$ref/$1" "$2"
  check "cp of $1 ($2 B)" cp "$ref/$1" "$mnt/$1"
  expect_eq "stat size of $1 at once" "$2" "$(timeout "$T" stat -c %s "$mnt/$1")"
  check "read back $1 through the mount" cmp "$ref/$1" "$mnt/$1"
  same_in_swift "cp of $1" "$ref/$1" "$1"
}
put empty 0
put one 1
put seg-minus-1 $((W_SEG - 1))
put seg "$W_SEG"
put seg-plus-1 $((W_SEG + 1))
put multi $((W_SEG * 3 + W_SEG / 2 + 7))
put big-then-small $((W_SEG * 2 + 3))
# Overwriting a segmented object with a small one: the old segments must go too.
randfile "$ref/big-then-small" 1000
check "cp over a segmented file" cp "$ref/big-then-small" "$mnt/big-then-small"
same_in_swift "overwrite of a segmented file" "$ref/big-then-small" big-then-small

# >> appends, to a small file and to a segmented one.
for f in one multi; do
  for i in 1 2 3; do
    echo "appended line $i" >>"$ref/$f"
    timeout "$T" bash -c "echo 'appended line $i' >>'$mnt/$f'" || fail "append $i to $f"
  done
  same_in_swift "three >> appends to $f" "$ref/$f" "$f"
  check "$f read back after appends" cmp "$ref/$f" "$mnt/$f"
done

# truncate: shrink a segmented file, grow it (zeros), then empty it.
cp "$ref/seg-plus-1" "$ref/trunc"
check "cp for truncate" cp "$ref/trunc" "$mnt/trunc"
for size in 100 $((W_SEG + 5000)) 0 3; do
  truncate -s "$size" "$ref/trunc"
  check "truncate -s $size" truncate -s "$size" "$mnt/trunc"
  expect_eq "size after truncate -s $size" "$size" "$(timeout "$T" stat -c %s "$mnt/trunc")"
  same_in_swift "truncate -s $size" "$ref/trunc" trunc
done

# dd conv=notrunc: patches across a segment boundary, inside, and past the end.
for spec in "$((W_SEG - 2)) 4" "12345 100" "$((W_SEG * 3 + W_SEG / 2 + 20)) 50"; do
  read -r at len <<<"$spec"
  head -c "$len" /dev/urandom >"$work/patch"
  dd if="$work/patch" of="$ref/multi" bs=1 seek="$at" conv=notrunc status=none
  check "dd patch of $len B at $at" timeout "$T" dd if="$work/patch" of="$mnt/multi" bs=1M \
    oflag=seek_bytes seek="$at" conv=notrunc status=none
  same_in_swift "dd patch at $at" "$ref/multi" multi
done
check "patched file read back" cmp "$ref/multi" "$mnt/multi"

# Editor-style save: write a temporary file, fsync it, rename it over the original.
printf 'first version\n' >"$ref/doc.txt"
check "cp doc.txt" cp "$ref/doc.txt" "$mnt/doc.txt"
printf 'second version, saved like an editor does\n' >"$ref/doc.txt"
save() {
  # shellcheck disable=SC2317 # run through bash -c "$(declare -f save)"
  /usr/bin/python3 - "$1" "$2" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
tmp = os.path.join(os.path.dirname(dst), "." + os.path.basename(dst) + ".swp")
with open(src, "rb") as f:
    data = f.read()
fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
os.write(fd, data)
os.fsync(fd)
os.close(fd)
os.rename(tmp, dst)
PY
}
check "editor-style save" timeout "$T" bash -c "$(declare -f save); save '$ref/doc.txt' '$mnt/doc.txt'"
same_in_swift "editor-style save" "$ref/doc.txt" doc.txt
expect_eq "temporary file gone from Swift" missing "$(swift_md5 .doc.txt.swp)"
check "saved file read back" cmp "$ref/doc.txt" "$mnt/doc.txt"

# After a remount, the mount reads what Swift holds.
w_unmount "$mnt"
w_mount "$mnt" || { fail "remount"; finish; }
for f in "$ref"/*; do
  name=$(basename "$f")
  check "after remount: $name" cmp "$f" "$mnt/$name"
  same_in_swift "after remount: $name" "$f" "$name"
done
expect_eq "names after remount" "$(cd "$ref" && ls)" "$(cd "$mnt" && timeout "$T" ls)"
no_orphans "$mnt"
finish
