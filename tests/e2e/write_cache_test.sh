#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Writes and the disk cache (-o cache_dir=): the bytes of a file copied into the mount go
# into the cache under the new ETag when the upload commits, so reading them back after a
# remount costs no GET (get_requests=0 in the counters line), and they are the source's
# bytes and Swift's. A 20 MiB file (a manifest of 1 MiB segments: the ETag a later mount
# reads by is the manifest's) and a small one (one PUT). With cache_dir and no staging_dir,
# the staging area is cache_dir/staging and shares the cache's cap: a cap smaller than the
# file does not stop a streamed copy, and a change in place needing more than the cap
# fails with ENOSPC. A file larger than the staging area keeps (a 24 MiB copy with
# staging_size=4M: its local copy is given up after 1 MiB) is cached all the same: its
# segments land in the cache as they are uploaded, under a provisional key, and become
# the manifest's blocks when the manifest PUT succeeds.
. "$(dirname "$0")/write_lib.sh"
w_init
mnt=$work/mnt
cache=$work/cache
MiB=1048576
last_counter() { grep "counters:" "$work/swiftfs.log" | tail -n1 | grep -o "$1=[0-9]*" | cut -d= -f2; }
drop_page_cache() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

randfile "$work/big" $((20 * MiB))
randfile "$work/small" 300000
want_big=$(local_md5 "$work/big")
want_small=$(local_md5 "$work/small")

# 1. cp into the mount: committed bytes are written to the cache.
w_mount "$mnt" -o cache_dir="$cache" || { fail "mount"; finish; }
w_writable "$mnt"
check "cp of a 20 MiB file" cp "$work/big" "$mnt/big"
check "cp of a small file" cp "$work/small" "$mnt/small"
[ -d "$cache/staging" ] && pass "staging lives under cache_dir" || fail "no $cache/staging"
drop_page_cache
expect_eq "big read back in the same mount" "$want_big" "$(timeout "$T" md5sum <"$mnt/big" | cut -d' ' -f1)"
w_unmount "$mnt"
writes=$(last_counter disk_cache_writes)
[ "${writes:-0}" -ge 21 ] && pass "disk_cache_writes $writes (20 + 1 blocks written through)" ||
  fail "disk_cache_writes ${writes:-none} < 21"
same_in_swift "big" "$work/big" big
same_in_swift "small" "$work/small" small

# 2. Remount: both read from the disk cache, no GET.
drop_page_cache
w_mount "$mnt" -o cache_dir="$cache" || { fail "remount"; finish; }
expect_eq "big after remount" "$want_big" "$(timeout "$T" md5sum <"$mnt/big" | cut -d' ' -f1)"
expect_eq "small after remount" "$want_small" "$(timeout "$T" md5sum <"$mnt/small" | cut -d' ' -f1)"
w_unmount "$mnt"
expect_eq "get_requests after remount" 0 "$(last_counter get_requests)"
expect_eq "disk_cache_misses after remount" 0 "$(last_counter disk_cache_misses)"

# 3. One budget: a 4 MiB cap. A streamed copy of 20 MiB still works (its local copy is
# given up, not the upload); patching 6 blocks in place needs 6 MiB of staging: ENOSPC.
small_cache=$work/cache-small
w_mount "$mnt" -o cache_dir="$small_cache",cache_size=4M || { fail "mount"; finish; }
check "cp of 20 MiB with a 4 MiB cap" cp "$work/big" "$mnt/big2"
cp "$work/big" "$work/big2-ref"
# One open for all the patches (each close commits and frees its staged blocks); the
# patches written before ENOSPC are committed at close, as with any write that succeeded.
out=$(timeout "$T" python3 - "$mnt/big2" "$work/big2-ref" <<'PY'
import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
with open(sys.argv[2], "r+b") as ref:
    for i in range(0, 12, 2):
        try:
            os.pwrite(fd, b"patch", i << 20)
        except OSError as e:
            print("ENOSPC after %d" % (i // 2) if e.errno == errno.ENOSPC else "errno %d" % e.errno)
            break
        ref.seek(i << 20)
        ref.write(b"patch")
    else:
        print("all written")
os.close(fd)
PY
)
expect_eq "patching past the shared cap" "ENOSPC after 4" "$out"
w_unmount "$mnt"
same_in_swift "big2 (the patches before ENOSPC)" "$work/big2-ref" big2

# 4. Streamed past the staging area: read back after drop_caches in the same mount and
# after a remount, with no GET at all (cp itself GETs nothing).
randfile "$work/huge" $((24 * MiB))
want_huge=$(local_md5 "$work/huge")
stream_cache=$work/cache-stream
w_mount "$mnt" -o cache_dir="$stream_cache",staging_size=4M,log_level=debug || { fail "mount"; finish; }
check "cp of 24 MiB past the staging area" cp "$work/huge" "$mnt/huge"
drop_page_cache
expect_eq "huge read back in the same mount" "$want_huge" "$(timeout "$T" md5sum <"$mnt/huge" | cut -d' ' -f1)"
w_unmount "$mnt"
expect_eq "get_requests of the cp and the read back" 0 "$(last_counter get_requests)"
writes=$(last_counter disk_cache_writes)
[ "${writes:-0}" -ge 24 ] && pass "disk_cache_writes $writes (24 blocks as they were written)" ||
  fail "disk_cache_writes ${writes:-none} < 24"
left=$(find "$stream_cache/tmp" -type f | wc -l)
expect_eq "provisional blocks left in tmp/" 0 "$left"
same_in_swift "huge" "$work/huge" huge
drop_page_cache
w_mount "$mnt" -o cache_dir="$stream_cache" || { fail "remount"; finish; }
expect_eq "huge after remount" "$want_huge" "$(timeout "$T" md5sum <"$mnt/huge" | cut -d' ' -f1)"
w_unmount "$mnt"
expect_eq "get_requests of huge after remount" 0 "$(last_counter get_requests)"
expect_eq "disk_cache_misses of huge after remount" 0 "$(last_counter disk_cache_misses)"
finish
