# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# The measures of scripts/bench and the report, sourced by it. Results are kept as files
# $work/results/<measure>.<tool>, one value per repeat.

mkdir -p "$work/results"

record() { echo "$3" >>"$work/results/$1.$2"; }
now() { echo "$EPOCHREALTIME"; }
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}'; }
mb_per_s() { awk -v bytes="$1" -v s="$2" 'BEGIN {printf "%.1f", bytes / s / 1e6}'; }

cold() {
  if [ "$drop_caches" = 1 ]; then
    sync
    echo 3 >/proc/sys/vm/drop_caches
  fi
}

log_mark() { wc -l <"$proxy_log"; }
# log_since MARK TOOL: "requests gets heads lists bytes_sent" since MARK, sent to our
# container by TOOL (recognised by its User-Agent).
log_since() {
  local agent
  case $2 in
    curl) agent=curl/ ;;
    swiftfs) agent=swiftfs/ ;;
    rclone*) agent=rclone/ ;;
  esac
  sleep 1  # the proxy writes its access log line after the response
  $helper log-count "$proxy_log" "$1" "$container" "$agent"
}

object_url() { echo "$BENCH_URL/$container/$1"; }

# curl GETs of [from, to] of an object, `parts` ranges in parallel.
curl_ranges() {
  local url=$1 size=$2 parts=$3 i from to pids=()
  local step=$(((size + parts - 1) / parts))
  for ((i = 0; i < parts; i++)); do
    from=$((i * step))
    to=$((from + step - 1 < size - 1 ? from + step - 1 : size - 1))
    bench_curl -f -o /dev/null -r "$from-$to" "$url" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
}

# All pages of a listing of PREFIX (format=json, delimiter /), following markers.
curl_list_all() {
  local prefix=$1 marker="" page last
  while :; do
    page=$(bench_curl -G "$BENCH_URL/$container" --data-urlencode "prefix=$prefix" \
      --data-urlencode "delimiter=/" --data-urlencode "marker=$marker" -d limit=10000)
    [ -z "$page" ] && break
    last=$(printf '%s\n' "$page" | tail -n 1)
    [ "$(printf '%s\n' "$page" | wc -l)" -lt 10000 ] && break
    marker=$last
  done
}

# run_measure TOOL GROUP: one group of measures (seq ttfb random list small) for one tool.
# A failed measure (the shared local server times out under load) is reported and left out
# of the medians; the others still run. It runs in a background subshell so that set -e
# holds inside it (in an `if` or `||` it would not); a mount it leaves behind is unmounted.
run_measure() {
  local tool=$1 group=$2
  if [ "$tool" = curl ]; then
    ("curl_$group" "$(object_url "${big_prefix}0")") &
  else
    ("fuse_$group" "$tool") &
  fi
  if ! wait $!; then
    echo "bench: WARNING: $tool $group failed in this repeat" >&2
    if mountpoint -q "$work/mnt-$tool"; then
      fusermount3 -u "$work/mnt-$tool" 2>/dev/null || umount -l "$work/mnt-$tool" || true
    fi
  fi
}

curl_seq() {
  local url0=$1 t i pids
  cold; t=$(now); bench_curl -f -o /dev/null "$url0" || return 1
  record seq1 curl "$(mb_per_s "$big_bytes" "$(seconds_since "$t")")"
  cold; t=$(now); curl_ranges "$url0" "$big_bytes" "$curl_parallel"
  record seq1 "curl-$curl_parallel" "$(mb_per_s "$big_bytes" "$(seconds_since "$t")")"

  cold; t=$(now); pids=()
  for i in 0 1 2 3; do bench_curl -f -o /dev/null "$(object_url "$big_prefix$i")" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
  record seq4 curl "$(mb_per_s $((4 * big_bytes)) "$(seconds_since "$t")")"
  cold; t=$(now); pids=()
  for i in 0 1 2 3; do
    curl_ranges "$(object_url "$big_prefix$i")" "$big_bytes" "$curl_parallel" & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || return 1; done
  record seq4 "curl-$curl_parallel" "$(mb_per_s $((4 * big_bytes)) "$(seconds_since "$t")")"
}

curl_ttfb() {
  local url0=$1 t
  # A new curl process: connection set-up included, as for a first read through a mount.
  cold; record ttfb curl "$(bench_curl -o /dev/null -r 0-0 -w '%{time_total}' "$url0")"
  # Cold, the filesystems also look the path up: the ceiling is a HEAD, then the GET.
  cold; t=$(now)
  bench_curl -o /dev/null -I "$url0"
  bench_curl -o /dev/null -r 0-0 "$url0"
  record ttfb_cold curl "$(seconds_since "$t")"
}

curl_random() {
  local url0=$1 t mark stats
  $helper random-urls "$url0" "$big_bytes" "$random_reads" 7 "$work/auth-header" \
    >"$work/random.curl"
  mark=$(log_mark); t=$(now)
  bench_curl -K "$work/random.curl"
  record random_rate curl "$(awk -v n="$random_reads" -v s="$(seconds_since "$t")" \
    'BEGIN {printf "%.1f", n / s}')"
  read -r -a stats <<<"$(log_since "$mark" curl)"
  record random_ratio curl "$(awk -v b="${stats[4]}" -v n="$random_reads" \
    'BEGIN {printf "%.2f", b / (n * 4096)}')"
}

curl_list() {
  local tree t mark stats
  for tree in $trees; do
    # The listing is all either tool needs: the ceiling of ls -l and of find.
    mark=$(log_mark); t=$(now); curl_list_all "${tree_dirs[$tree]}/"
    record "ls_$tree" curl "$(seconds_since "$t")"
    record "find_$tree" curl "$(seconds_since "$t")"
    read -r -a stats <<<"$(log_since "$mark" curl)"
    record "ls_${tree}_req" curl "${stats[0]}"
    record "find_${tree}_req" curl "${stats[0]}"
  done
}

# curl_get_each KEY PREFIX COUNT: GETs of PREFIX%06d (0..COUNT-1), one after the other on
# one connection; records KEY (seconds) and KEY_req (requests).
curl_get_each() {
  local key=$1 prefix=$2 count=$3 i t mark stats
  for ((i = 0; i < count; i++)); do
    [ "$i" = 0 ] || echo next
    # Options end at each "next": every request names the header file again.
    printf 'url = "%s"\noutput = /dev/null\nheader = "@%s"\n' \
      "$(object_url "$(printf '%s%06d' "$prefix" "$i")")" "$work/auth-header"
  done >"$work/$key.curl"
  mark=$(log_mark); t=$(now); bench_curl -K "$work/$key.curl"
  record "$key" curl "$(seconds_since "$t")"
  read -r -a stats <<<"$(log_since "$mark" curl)"; record "${key}_req" curl "${stats[0]}"
}

curl_small() {
  curl_get_each small small/f 1000
  curl_get_each medium files1m/f 100
}

fuse_seq() {
  local tool=$1 t i pids rss_cpu big0=${big_prefix}0
  mount_fs "$tool"; cold; t=$(now)
  dd if="$mnt/$big0" of=/dev/null bs=1M status=none
  record seq1 "$tool" "$(mb_per_s "$big_bytes" "$(seconds_since "$t")")"
  read -r -a rss_cpu <<<"$(daemon_stats)"; record rss_seq1 "$tool" "${rss_cpu[0]}"
  record cpu_seq1 "$tool" "${rss_cpu[1]}"
  unmount_fs

  mount_fs "$tool"; cold; t=$(now); pids=()
  for i in 0 1 2 3; do dd if="$mnt/$big_prefix$i" of=/dev/null bs=1M status=none & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
  record seq4 "$tool" "$(mb_per_s $((4 * big_bytes)) "$(seconds_since "$t")")"
  read -r -a rss_cpu <<<"$(daemon_stats)"; record rss_seq4 "$tool" "${rss_cpu[0]}"
  record cpu_seq4 "$tool" "${rss_cpu[1]}"
  unmount_fs
}

fuse_ttfb() {
  local tool=$1 big0=${big_prefix}0
  # Cold: the path is looked up, the object opened and read for the first time.
  mount_fs "$tool"; cold
  record ttfb_cold "$tool" "$($helper ttfb "$mnt/$big0")"
  unmount_fs
  # Attributes known (stat first), data not cached.
  mount_fs "$tool"; stat "$mnt/$big0" >/dev/null; sync; echo 1 >/proc/sys/vm/drop_caches
  record ttfb "$tool" "$($helper ttfb "$mnt/$big0")"
  unmount_fs
}

fuse_random() {
  local tool=$1 mark stats n big0=${big_prefix}0
  mount_fs "$tool"
  stat "$mnt/$big0" >/dev/null
  mark=$(log_mark)
  read -r -a stats <<<"$($helper random "$mnt/$big0" "$random_reads" 7)"
  record random_rate "$tool" "${stats[0]}"
  n=${stats[1]}
  read -r -a stats <<<"$(log_since "$mark" "$tool")"
  record random_ratio "$tool" "$(awk -v b="${stats[4]}" -v n="$n" 'BEGIN {printf "%.2f", b / n}')"
  unmount_fs
}

# timed_listing KEY TOOL SCRIPT: runs the shell SCRIPT (ls, find or cat; "$1" is the mount
# point) on a fresh cold mount and records its seconds and requests, or "timeout" once it takes
# longer than $list_timeout (later repeats then skip it).
timed_listing() {
  local key=$1 tool=$2 script=$3 mark t stats rc=0
  if [ -e "$work/results/$key.$tool.timedout" ]; then return 0; fi
  mount_fs "$tool"; cold; mark=$(log_mark); t=$(now)
  timeout "$list_timeout" bash -c "$script" _ "$mnt" || rc=$?
  if [ "$rc" = 124 ]; then
    record "$key" "$tool" timeout
    touch "$work/results/$key.$tool.timedout"
  else
    record "$key" "$tool" "$(seconds_since "$t")"
  fi
  read -r -a stats <<<"$(log_since "$mark" "$tool")"; record "${key}_req" "$tool" "${stats[0]}"
  if [[ $key == ls_* ]]; then
    read -r -a stats <<<"$(daemon_stats)"; record "rss_$key" "$tool" "${stats[0]}"
    record "cpu_$key" "$tool" "${stats[1]}"
  fi
  unmount_fs
}

fuse_list() {
  local tool=$1 tree n
  for tree in $trees; do
    timed_listing "ls_$tree" "$tool" "ls -l \"\$1/${tree_dirs[$tree]}\" >/dev/null"
    rm -f "$work/found"
    timed_listing "find_$tree" "$tool" \
      "find \"\$1/${tree_dirs[$tree]}\" -type f | wc -l >'$work/found'"
    n=$(cat "$work/found" 2>/dev/null || echo "timed out")
    [ "$n" = "${tree_sizes[$tree]}" ] ||
      echo "bench: WARNING: $tool: find $tree found $n files, not ${tree_sizes[$tree]}" >&2
  done
}

fuse_small() {
  # shellcheck disable=SC2016  # $1 expands in the child shell: the mount point
  timed_listing small "$1" 'cat "$1"/small/* >/dev/null'
  # shellcheck disable=SC2016
  timed_listing medium "$1" 'cat "$1"/files1m/* >/dev/null'
}

declare -A tree_sizes=([files10k]=10000 [files100k]=100000 [empty10k]=10000 [empty100k]=100000)
# Data set name -> pseudo-directory.
declare -A tree_dirs=([files10k]=files10k [files100k]=files100k [empty10k]=tree10k
  [empty100k]=tree100k)

median_of() {
  local f=$work/results/$1.$2
  # shellcheck disable=SC2046  # one value per line, one argument each
  if [ ! -s "$f" ]; then
    echo "-"
  elif grep -q timeout "$f"; then
    echo "> ${list_timeout} s"
  else
    $helper median $(cat "$f")
  fi
}

# A markdown table: one row per measure, one column per tool.
print_report() {
  local report_tools=("$@") cols=() row tool
  for tool in "${report_tools[@]}"; do
    cols+=("$tool")
    [ "$tool" = curl ] && cols+=("curl-$curl_parallel")
  done
  local rows=(
    "seq1|1. sequential read, 1 object of $((big_bytes / MiB)) MiB (MB/s)"
    "seq4|1. sequential read, 4 objects in parallel (aggregate MB/s)"
    "ttfb_cold|2. first byte, cold mount: lookup + open + read 1 byte (s)"
    "ttfb|2. first byte, attributes cached: open + read 1 byte (s)"
    "random_rate|3. random 4 KiB reads, $random_reads preads (reads/s)"
    "random_ratio|3. random 4 KiB reads: bytes fetched / bytes read"
  )
  for tree in $trees; do
    rows+=("ls_$tree|4. ls -l of $tree (s)"
      "ls_${tree}_req|4. ls -l of $tree (HTTP requests)"
      "find_$tree|4. find -type f \\| wc -l, $tree (s)"
      "find_${tree}_req|4. find -type f \\| wc -l, $tree (HTTP requests)")
  done
  rows+=("small|5. cat of 1,000 files of 4 KiB (s)"
    "small_req|5. cat of 1,000 files of 4 KiB (HTTP requests)"
    "medium|5. cat of 100 files of 1 MiB (s)"
    "medium_req|5. cat of 100 files of 1 MiB (HTTP requests)"
    "rss_seq1|6. daemon peak RSS, measure 1 (one object) (MiB)"
    "cpu_seq1|6. daemon CPU, measure 1 (one object) (s)"
    "rss_seq4|6. daemon peak RSS, measure 1 (4 objects) (MiB)"
    "cpu_seq4|6. daemon CPU, measure 1 (4 objects) (s)")
  for tree in $trees; do
    rows+=("rss_ls_$tree|6. daemon peak RSS, ls -l of $tree (MiB)"
      "cpu_ls_$tree|6. daemon CPU, ls -l of $tree (s)")
  done
  rows+=("${measure_rows[@]}")

  echo "## swiftfs read benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Command: \`scripts/bench ${bench_args:-}\` — medians of $repeats repeats;" \
    "objects in container \`$container\` of the local Swift ($(nproc) cores)."
  echo
  local header="| measure |" rule="|---|"
  for tool in "${cols[@]}"; do header+=" $tool |"; rule+="---:|"; done
  echo "$header"
  echo "$rule"
  for row in "${rows[@]}"; do
    local key=${row%%|*} label=${row#*|} line
    line="| $label |"
    for tool in "${cols[@]}"; do line+=" $(median_of "$key" "$tool") |"; done
    echo "$line"
  done
}
