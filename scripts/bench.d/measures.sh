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
# "requests gets heads lists bytes_sent" since a log_mark, for our container.
log_since() {
  sleep 1  # the proxy writes its access log line after the response
  $helper log-count "$proxy_log" "$1" "$container"
}

object_url() { echo "$BENCH_URL/$container/$1"; }

# curl GETs of [from, to] of an object, `parts` ranges in parallel.
curl_ranges() {
  local url=$1 size=$2 parts=$3 i from to pids=()
  local step=$(((size + parts - 1) / parts))
  for ((i = 0; i < parts; i++)); do
    from=$((i * step))
    to=$((from + step - 1 < size - 1 ? from + step - 1 : size - 1))
    bench_curl -o /dev/null -r "$from-$to" "$url" &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
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

run_curl_measures() {
  local url0 t mark stats i pids
  url0=$(object_url "${big_prefix}0")

  cold; t=$(now); bench_curl -o /dev/null "$url0"
  record seq1 curl "$(mb_per_s "$big_bytes" "$(seconds_since "$t")")"
  cold; t=$(now); curl_ranges "$url0" "$big_bytes" "$curl_parallel"
  record seq1 "curl-$curl_parallel" "$(mb_per_s "$big_bytes" "$(seconds_since "$t")")"

  cold; t=$(now); pids=()
  for i in 0 1 2 3; do bench_curl -o /dev/null "$(object_url "$big_prefix$i")" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
  record seq4 curl "$(mb_per_s $((4 * big_bytes)) "$(seconds_since "$t")")"
  cold; t=$(now); pids=()
  for i in 0 1 2 3; do
    curl_ranges "$(object_url "$big_prefix$i")" "$big_bytes" "$curl_parallel" & pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  record seq4 "curl-$curl_parallel" "$(mb_per_s $((4 * big_bytes)) "$(seconds_since "$t")")"

  # A new curl process: connection set-up included, as for a first read through a mount.
  cold; record ttfb curl "$(bench_curl -o /dev/null -r 0-0 -w '%{time_total}' "$url0")"
  # Cold, the filesystems also look the path up: the ceiling is a HEAD, then the GET.
  cold; t=$(now)
  bench_curl -o /dev/null -I "$url0"
  bench_curl -o /dev/null -r 0-0 "$url0"
  record ttfb_cold curl "$(seconds_since "$t")"

  $helper random-urls "$url0" "$big_bytes" "$random_reads" 7 >"$work/random.curl"
  mark=$(log_mark); t=$(now)
  bench_curl -K "$work/random.curl"
  record random_rate curl "$(awk -v n="$random_reads" -v s="$(seconds_since "$t")" \
    'BEGIN {printf "%.1f", n / s}')"
  read -r -a stats <<<"$(log_since "$mark")"
  record random_ratio curl "$(awk -v b="${stats[4]}" -v n="$random_reads" \
    'BEGIN {printf "%.2f", b / (n * 4096)}')"

  local tree
  for tree in $trees; do
    # The listing is all either tool needs: the ceiling of ls -l and of find.
    mark=$(log_mark); t=$(now); curl_list_all "$tree/"
    record "ls_$tree" curl "$(seconds_since "$t")"
    record "find_$tree" curl "$(seconds_since "$t")"
    read -r -a stats <<<"$(log_since "$mark")"
    record "ls_${tree}_req" curl "${stats[0]}"
    record "find_${tree}_req" curl "${stats[0]}"
  done

  for ((i = 0; i < 1000; i++)); do
    [ "$i" = 0 ] || echo next
    printf 'url = "%s"\noutput = /dev/null\n' "$(object_url "$(printf 'small/f%06d' "$i")")"
  done >"$work/small.curl"
  mark=$(log_mark); t=$(now); bench_curl -K "$work/small.curl"
  record small curl "$(seconds_since "$t")"
  read -r -a stats <<<"$(log_since "$mark")"; record small_req curl "${stats[0]}"
}

run_fuse_measures() {
  local tool=$1 t mark stats i pids n tree rss_cpu
  local big0=${big_prefix}0

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

  # Cold: the path is looked up, the object opened and read for the first time.
  mount_fs "$tool"; cold
  record ttfb_cold "$tool" "$($helper ttfb "$mnt/$big0")"
  unmount_fs
  # Attributes known (stat first), data not cached.
  mount_fs "$tool"; stat "$mnt/$big0" >/dev/null; sync; echo 1 >/proc/sys/vm/drop_caches
  record ttfb "$tool" "$($helper ttfb "$mnt/$big0")"

  stat "$mnt/$big0" >/dev/null
  mark=$(log_mark)
  read -r -a stats <<<"$($helper random "$mnt/$big0" "$random_reads" 7)"
  record random_rate "$tool" "${stats[0]}"
  n=${stats[1]}
  read -r -a stats <<<"$(log_since "$mark")"
  record random_ratio "$tool" "$(awk -v b="${stats[4]}" -v n="$n" 'BEGIN {printf "%.2f", b / n}')"
  unmount_fs

  for tree in $trees; do
    mount_fs "$tool"; cold; mark=$(log_mark); t=$(now)
    ls -l "$mnt/$tree" >/dev/null
    record "ls_$tree" "$tool" "$(seconds_since "$t")"
    read -r -a stats <<<"$(log_since "$mark")"; record "ls_${tree}_req" "$tool" "${stats[0]}"
    read -r -a rss_cpu <<<"$(daemon_stats)"; record "rss_ls_$tree" "$tool" "${rss_cpu[0]}"
    record "cpu_ls_$tree" "$tool" "${rss_cpu[1]}"
    unmount_fs

    mount_fs "$tool"; cold; mark=$(log_mark); t=$(now)
    n=$(find "$mnt/$tree" -type f | wc -l)
    record "find_$tree" "$tool" "$(seconds_since "$t")"
    read -r -a stats <<<"$(log_since "$mark")"; record "find_${tree}_req" "$tool" "${stats[0]}"
    [ "$n" = "${tree_sizes[$tree]}" ] ||
      echo "bench: WARNING: $tool: find $tree found $n files, not ${tree_sizes[$tree]}" >&2
    unmount_fs
  done

  mount_fs "$tool"; cold; mark=$(log_mark); t=$(now)
  bash -c 'cat "$1"/small/* >/dev/null' _ "$mnt"
  record small "$tool" "$(seconds_since "$t")"
  read -r -a stats <<<"$(log_since "$mark")"; record small_req "$tool" "${stats[0]}"
  unmount_fs
}

declare -A tree_sizes=([tree10k]=10000 [tree100k]=100000)

median_of() {
  local f=$work/results/$1.$2
  # shellcheck disable=SC2046  # one value per line, one argument each
  if [ -s "$f" ]; then $helper median $(cat "$f"); else echo "-"; fi
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
    rows+=("ls_$tree|4. ls -l of ${tree#tree} objects (s)"
      "ls_${tree}_req|4. ls -l of ${tree#tree} objects (HTTP requests)"
      "find_$tree|4. find -type f | wc -l, ${tree#tree} objects (s)"
      "find_${tree}_req|4. find -type f | wc -l, ${tree#tree} objects (HTTP requests)")
  done
  rows+=("small|5. cat of 1,000 files of 4 KiB (s)"
    "small_req|5. cat of 1,000 files of 4 KiB (HTTP requests)"
    "rss_seq1|6. daemon peak RSS, measure 1 (one object) (MiB)"
    "cpu_seq1|6. daemon CPU, measure 1 (one object) (s)"
    "rss_seq4|6. daemon peak RSS, measure 1 (4 objects) (MiB)"
    "cpu_seq4|6. daemon CPU, measure 1 (4 objects) (s)")
  for tree in $trees; do
    rows+=("rss_ls_$tree|6. daemon peak RSS, ls -l of ${tree#tree} (MiB)"
      "cpu_ls_$tree|6. daemon CPU, ls -l of ${tree#tree} (s)")
  done

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
