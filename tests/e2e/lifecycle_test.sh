#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Daemon mode, clean unmount with fusermount3 -u, SIGTERM unmount, mount -t fuse.swiftfs.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)

# pids_of_mount MOUNTPOINT: swiftfs processes serving this (unique) mountpoint.
pids_of_mount() {
  local p
  for p in /proc/[0-9]*; do
    [ -r "$p/cmdline" ] || continue
    tr '\0' '\n' <"$p/cmdline" 2>/dev/null | grep -qxF "$1" &&
      tr '\0' '\n' <"$p/cmdline" 2>/dev/null | head -n1 | grep -q swiftfs && basename "$p"
  done
}

# 1. Background (daemon) mode: the command returns 0 once mounted.
mnt=$work/daemon
mkdir -p "$mnt"
mounts+=("$mnt")
timeout 60 "$SWIFTFS_BIN" "$container" "$mnt" >"$work/daemon.out" 2>&1
expect_eq "daemon mode exits 0 after mounting" "0" "$?"
wait_mounted "$mnt" && pass "daemon mounted" || fail "daemon not mounted"
daemon=$(pids_of_mount "$mnt")
# shellcheck disable=SC2206 # one pid per word
[ -n "$daemon" ] && pids+=($daemon)
# shellcheck disable=SC2002 # cat reads through the mount; wc -c <file may only fstat it
check "daemon serves reads" test "$(cat "$mnt/sizes/size-1" | wc -c)" -eq 1
check "fusermount3 -u" timeout 30 fusermount3 -u "$mnt"
wait_unmounted "$mnt" && pass "unmounted" || fail "still mounted"
for _ in $(seq 1 20); do [ -z "$(pids_of_mount "$mnt")" ] && break; sleep 0.5; done
[ -z "$(pids_of_mount "$mnt")" ] && pass "daemon exited after unmount" || fail "daemon still running"

# 2. Foreground + SIGTERM: clean unmount, exit status 0, counters logged.
mnt=$work/fg
mount_swiftfs "$mnt" "$container" || fail "foreground mount"
check "foreground mount serves" ls "$mnt/sizes"
kill -TERM "$SWIFTFS_PID"
wait_exit "$SWIFTFS_PID" 30
expect_eq "SIGTERM: exit status" "0" "$EXIT_STATUS"
wait_unmounted "$mnt" 5 && pass "SIGTERM unmounted" || fail "SIGTERM left the mount"
grep -q "counters:" "$work/swiftfs.log" && pass "counters logged at exit" || fail "no counters in the log"

# 3. SIGINT as well.
mnt=$work/int
mount_swiftfs "$mnt" "$container" || fail "mount for SIGINT"
kill -INT "$SWIFTFS_PID"
wait_exit "$SWIFTFS_PID" 30
expect_eq "SIGINT: exit status" "0" "$EXIT_STATUS"
wait_unmounted "$mnt" 5 && pass "SIGINT unmounted" || fail "SIGINT left the mount"

# 4. mount -t fuse.swiftfs: mount(8) runs mount.fuse3, which runs
# `/bin/sh -c 'swiftfs SOURCE MOUNTPOINT -o OPTIONS'`. mount(8) clears PATH, so the shell
# searches its default path: link the binary into /usr/local/sbin for the test (only if
# nothing is there), and remove the link at exit.
helper_link=/usr/local/sbin/swiftfs
if [ -e "$helper_link" ] && [ "$(readlink "$helper_link")" != "$SWIFTFS_BIN" ]; then
  log "skipping mount -t: $helper_link exists and is not ours"
  finish
fi
if [ ! -e "$helper_link" ]; then
  ln -s "$SWIFTFS_BIN" "$helper_link"
  trap 'rm -f "$helper_link"; cleanup' EXIT
fi
mnt=$work/viamount
mkdir -p "$mnt"
mounts+=("$mnt")
if out=$(timeout 60 mount -t fuse.swiftfs -o "_netdev,noauto,log_level=info" \
  "$container/sizes" "$mnt" 2>&1); then
  pass "mount -t fuse.swiftfs"
else
  fail "mount -t fuse.swiftfs: $out"
fi
wait_mounted "$mnt" || fail "mount -t fuse.swiftfs: not mounted"
daemon=$(pids_of_mount "$mnt")
# shellcheck disable=SC2206 # one pid per word
[ -n "$daemon" ] && pids+=($daemon)
check "mount -t: prefix root" test -f "$mnt/size-4096"
grep " $mnt " /proc/mounts | grep -q "^swiftfs:$container/sizes $mnt fuse.swiftfs rw," &&
  pass "/proc/mounts entry: $(grep " $mnt " /proc/mounts)" || fail "/proc/mounts: $(grep " $mnt " /proc/mounts)"
check "umount" timeout 30 umount "$mnt"
wait_unmounted "$mnt" && pass "umount unmounted" || fail "umount left the mount"

# The fstab source convention: "none" is the whole account.
mnt=$work/account
mkdir -p "$mnt"
mounts+=("$mnt")
timeout 60 mount -t fuse.swiftfs none "$mnt" || fail "mount -t with source none"
wait_mounted "$mnt" && check "account root lists the container" test -d "$mnt/$container"
daemon=$(pids_of_mount "$mnt")
# shellcheck disable=SC2206 # one pid per word
[ -n "$daemon" ] && pids+=($daemon)
check "umount of the account mount" timeout 30 umount "$mnt"
finish
