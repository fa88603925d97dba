#!/usr/bin/env bash
# An object overwritten while a reader holds it open: the next read of bytes not yet cached
# fails with ESTALE, and no read ever returns bytes of the new version.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
name="stale/object-$$"
head -c $((64 * 1048576)) /dev/urandom >"$work/old"
head -c $((64 * 1048576)) /dev/urandom >"$work/new"
timeout 120 "${DATA_PY[@]}" put "$container" "$name" "$work/old" || { fail "upload"; finish; }
mnt=$work/mnt
mount_swiftfs "$mnt" "$container" || { fail "mount"; finish; }

exec 3<"$mnt/$name"
head -c 4096 <&3 >"$work/first" # python-free read through the open descriptor
check "first read is of the old version" cmp "$work/first" <(head -c 4096 "$work/old")
timeout 120 "${DATA_PY[@]}" put "$container" "$name" "$work/new" || fail "overwrite"

# Far from what was read (and read ahead): a new ranged GET with If-Match -> 412.
out=$(timeout $T dd bs=4096 skip=12000 count=1 status=none <&3 2>&1 >"$work/far")
rc=$?
if [ $rc -ne 0 ] && grep -q "Stale file handle" <<<"$out"; then
  pass "read after overwrite fails with ESTALE"
elif [ $rc -eq 0 ] && cmp -s "$work/far" <(dd if="$work/old" bs=4096 skip=12000 count=1 status=none); then
  fail "read after overwrite returned old bytes instead of ESTALE (read ahead too far?)"
else
  fail "read after overwrite: rc=$rc '$out'"
fi
# Whatever else is read through the old descriptor is never new data.
timeout $T cat <&3 >"$work/rest" 2>/dev/null
if [ -s "$work/rest" ] && cmp -s <(head -c "$(stat -c %s "$work/rest")" "$work/new" ) "$work/rest"; then
  fail "old descriptor returned new data"
else
  pass "old descriptor never returns new data"
fi
exec 3<&-
# A new open sees the new version (once attributes expire or the name is looked up anew).
sleep 1
mnt2=$work/mnt2
mount_swiftfs "$mnt2" "$container" -o attr_timeout=0,entry_timeout=0 || fail "second mount"
check "a new open reads the new version" cmp "$mnt2/$name" "$work/new"
timeout 60 curl -sf -X DELETE -H "X-Auth-Token: $(read -r _ t < <("${DATA_PY[@]}" auth); echo "$t")" \
  "$(read -r u _ < <("${DATA_PY[@]}" auth); echo "$u")/$container/$name" || true
finish
