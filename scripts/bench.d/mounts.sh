# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Mounting and unmounting the filesystems under test, sourced by scripts/bench.
# Sets $mnt and $mount_pid (the FUSE daemon, run in the foreground of a background job so
# that its /proc entry gives peak RSS and CPU time).

# rclone's documented read tuning. (rclone 1.60 HEADs every 0-byte object it lists, even
# with --swift-no-large-objects --use-server-modtime: listings of the 0-byte trees cost it
# one request per entry whatever the flags.)
rclone_tuned_flags=(--buffer-size 64M --vfs-read-chunk-size 32M --vfs-read-chunk-size-limit off
  --max-read-ahead 1M)

mount_fs() {
  local tool=$1
  mnt=$work/mnt-$tool
  mkdir -p "$mnt"
  case $tool in
    swiftfs)
      # shellcheck disable=SC2086  # SWIFTFS_BENCH_ARGS is a list of options
      "$swiftfs_bin" -f ${SWIFTFS_BENCH_ARGS:-} "$container" "$mnt" 2>"$work/swiftfs.log" &
      ;;
    rclone | rclone-tuned)
      local flags=()
      [ "$tool" = rclone-tuned ] && flags=("${rclone_tuned_flags[@]}")
      : >"$work/rclone.conf"
      RCLONE_CONFIG=$work/rclone.conf RCLONE_CONFIG_BENCH_TYPE=swift \
        RCLONE_CONFIG_BENCH_ENV_AUTH=true \
        rclone mount "bench:$container" "$mnt" --read-only --vfs-cache-mode off \
        "${flags[@]}" 2>"$work/rclone.log" &
      ;;
  esac
  mount_pid=$!
  local i
  for ((i = 0; i < 300; i++)); do
    mountpoint -q "$mnt" && return 0
    if ! kill -0 "$mount_pid" 2>/dev/null; then
      echo "bench: $tool did not mount:" >&2
      tail -5 "$work/$tool.log" "$work/${tool%-tuned}.log" 2>/dev/null >&2 || true
      return 1
    fi
    sleep 0.1
  done
  echo "bench: $tool did not mount within 30 s" >&2
  return 1
}

unmount_fs() {
  fusermount3 -u "$mnt" || umount -l "$mnt"
  local i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$mount_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$mount_pid" 2>/dev/null && kill "$mount_pid"
  wait "$mount_pid" 2>/dev/null || true
  mount_pid=
}

# "peak_rss_mib cpu_seconds" of the mounted daemon so far.
daemon_stats() {
  local hwm ticks
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$mount_pid/status")
  # Fields 14 and 15 of /proc/pid/stat (utime, stime) counted after the ")" of the name.
  ticks=$(sed 's/.*) //' "/proc/$mount_pid/stat" | awk '{print $12 + $13}')
  awk -v k="$hwm" -v t="$ticks" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.1f %.2f\n", k / 1024, t / hz}'
}
