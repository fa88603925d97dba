#!/usr/bin/env bash
# Random writes: fio randwrite with verify on a multi-segment file (fio reads back through
# the mount; then the object Swift holds, downloaded through the Swift API, passes fio's
# verify_only), and random pwrites of random bytes mirrored into a local file, compared
# byte for byte with Swift's object, including two handles writing the same file.
. "$(dirname "$0")/write_lib.sh"
w_init
command -v fio >/dev/null || { fail "fio is not installed (apt-get install -y fio)"; finish; }
mnt=$work/mnt
w_mount "$mnt" || { fail "mount"; finish; }
w_writable "$mnt"

size=$((W_SEG * 4))
job=(--name=rand --rw=randwrite --bs=4k --size="$size" --ioengine=psync --randseed=1234
  --verify=crc32c --verify_state_save=0 --verify_fatal=1 --do_verify=1 --fsync_on_close=1)
check "fio randwrite + verify through the mount" timeout 300 fio "${job[@]}" \
  --filename="$mnt/fio.dat" --output="$work/fio.out"
check "fio: file size" test "$(stat -c %s "$mnt/fio.dat")" -eq "$size"
# The bytes Swift holds must pass the same verification.
swift_auth
check "download fio.dat from Swift" timeout 120 curl -sf -H "X-Auth-Token: $TOKEN" \
  -o "$work/fio.swift" "$STORAGE_URL/$W/fio.dat"
check "fio verify_only of Swift's bytes" timeout 300 fio "${job[@]}" --verify_only \
  --filename="$work/fio.swift" --output="$work/fio-verify.out"

# pwrite at random offsets, the same bytes into a local mirror; two descriptors at once.
cat >"$work/pwrite.py" <<'PY'
import os, random, sys
mnt_file, ref_file, size, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
flags = os.O_WRONLY | os.O_CREAT
a, b = os.open(mnt_file, flags, 0o644), os.open(mnt_file, flags, 0o644)
r = os.open(ref_file, flags, 0o644)
for i in range(200):
    off = rng.randrange(0, size)
    data = os.urandom(rng.randrange(1, 70000))
    for fd in ((a if i % 2 else b), r):
        os.pwrite(fd, data, off)
os.fsync(a)
for fd in (a, b, r):
    os.close(fd)
PY
check "random pwrites with two handles" timeout 300 /usr/bin/python3 "$work/pwrite.py" \
  "$mnt/random.dat" "$work/random.ref" "$size" 42
check "random pwrites read back" cmp "$work/random.ref" "$mnt/random.dat"
same_in_swift "random pwrites" "$work/random.ref" random.dat

# A second round on the existing object (reopen for write, not truncated).
check "random pwrites on the committed file" timeout 300 /usr/bin/python3 "$work/pwrite.py" \
  "$mnt/random.dat" "$work/random.ref" "$((size + W_SEG))" 7
same_in_swift "random pwrites after reopen" "$work/random.ref" random.dat
w_unmount "$mnt"
w_mount "$mnt" || { fail "remount"; finish; }
check "after remount: random.dat" cmp "$work/random.ref" "$mnt/random.dat"
no_orphans "$mnt"
finish
