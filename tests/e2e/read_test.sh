#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Reads: ls/stat, md5sum of objects around page boundaries and of >= 100 MiB against the
# ETag Swift reports, dd and tail against the same ranges fetched with curl, parallel
# readers, DLO and SLO.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
data=$(data_dir)
swift_auth
mnt=$work/mnt
mount_swiftfs "$mnt" "$container" || { fail "mount"; finish; }

check "ls -la of the root" bash -c "ls -la '$mnt' >'$work/ls'"
for d in sizes many names meta links large; do
  grep -q " $d\$" "$work/ls" && pass "root lists $d/" || fail "root does not list $d/"
done
expect_eq "root mode (read-write)" "drwxr-xr-x" "$(timeout $T stat -c %A "$mnt")"
expect_eq "file mode (read-write)" "-rw-r--r--" "$(timeout $T stat -c %A "$mnt/sizes/size-1")"
expect_eq "file owner" "$(id -u)" "$(timeout $T stat -c %u "$mnt/sizes/size-1")"

for f in "$data"/size-*; do
  name=$(basename "$f")
  size=${name#size-}
  expect_eq "stat size of $name" "$size" "$(timeout $T stat -c %s "$mnt/sizes/$name")"
  want=$(etag "$container" "sizes/$name")
  got=$(timeout 300 md5sum <"$mnt/sizes/$name" | cut -d' ' -f1)
  expect_eq "md5sum of $name = ETag" "$want" "$got"
done

big="$mnt/sizes/size-104857613"
url="$STORAGE_URL/$container/sizes/size-104857613"
# dd of ranges, against the same bytes read with curl.
for spec in "4096 0 1" "4096 1 3" "65536 7 5" "1048576 99 1" "1000 104857 1"; do
  read -r bs skip count <<<"$spec"
  first=$((bs * skip))
  last=$((bs * (skip + count) - 1))
  a=$(timeout $T dd if="$big" bs="$bs" skip="$skip" count="$count" status=none | md5sum | cut -d' ' -f1)
  b=$(curl -sf -H "X-Auth-Token: $TOKEN" -r "$first-$last" "$url" | head -c $((bs * count)) | md5sum | cut -d' ' -f1)
  expect_eq "dd bs=$bs skip=$skip count=$count" "$b" "$a"
done
for n in 1 4095 4097 1000000; do
  a=$(timeout $T tail -c "$n" "$big" | md5sum | cut -d' ' -f1)
  b=$(curl -sf -H "X-Auth-Token: $TOKEN" -r "-$n" "$url" | md5sum | cut -d' ' -f1)
  expect_eq "tail -c $n" "$b" "$a"
done
a=$(timeout $T tail -c 10 "$mnt/sizes/size-4097" | od -An -tx1)
b=$(tail -c 10 "$data/size-4097" | od -An -tx1)
expect_eq "tail -c 10 of a small file" "$b" "$a"

# Parallel readers of one big file and of several files at once.
want=$(etag "$container" sizes/size-104857613)
readers=()
for i in 1 2 3 4; do
  (timeout 300 md5sum <"$big" | cut -d' ' -f1 >"$work/par$i") &
  readers+=($!)
done
(timeout 300 md5sum <"$mnt/sizes/size-1048583" | cut -d' ' -f1 >"$work/par5") &
readers+=($!)
(timeout 300 md5sum <"$mnt/large/slo" | cut -d' ' -f1 >"$work/par6") &
readers+=($!)
wait "${readers[@]}"  # not a bare `wait`: swiftfs itself is a background job
for i in 1 2 3 4; do expect_eq "parallel reader $i" "$want" "$(cat "$work/par$i")"; done
expect_eq "parallel reader of 1 MiB + 7" "$(etag "$container" sizes/size-1048583)" "$(cat "$work/par5")"
expect_eq "parallel reader of the SLO" "$(md5sum <"$data/slo" | cut -d' ' -f1)" "$(cat "$work/par6")"

# Large objects: the DLO lists as 0 bytes, stat must show its assembled size.
for obj in dlo slo; do
  expect_eq "stat size of the $obj" "$(stat -c %s "$data/$obj")" "$(timeout $T stat -c %s "$mnt/large/$obj")"
  check "content of the $obj" cmp "$data/$obj" "$mnt/large/$obj"
done
check "cp of a file" cp "$mnt/sizes/size-4096" "$work/copy"
check "copy is identical" cmp "$work/copy" "$data/size-4096"

# A name keeps its inode number when the kernel evicts the inode and looks it up again
# (GNU cp compares the st_ino of its lstat with the fstat after its open: "replaced
# while being copied").
ino_before=$(timeout $T stat -c %i "$mnt/sizes/size-4096")
sync
echo 2 >/proc/sys/vm/drop_caches 2>/dev/null || true  # not root: nothing evicted, nothing shown
expect_eq "inode number after the kernel evicted it" "$ino_before" \
  "$(timeout $T stat -c %i "$mnt/sizes/size-4096")"
finish
