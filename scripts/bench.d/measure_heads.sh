# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Measure `heads` of scripts/bench (--measures heads, only when asked for): how many HEADs a
# second the server answers, against how many swiftfs's `-o mtime=meta` sends, on the
# 12,000 objects of measure `mtime` (mtime12k/, set up by measure_mtime.sh):
#   curl     HEAD of the first $heads_curl_count objects with `curl --parallel --parallel-max P`
#            (P = 1: one at a time on one connection, as rclone's default mount does them):
#            the ceiling, in HEADs/s (a part of the tree, so that the measure holds the
#            bench lock a few minutes on a loaded server; the rate is what counts)
#   swiftfs  cold `ls -l` with -o mtime=meta,meta_fetchers=P: seconds, HEADs, HEADs/s
# for P in $heads_parallel. Rates and the mean number of HEADs in flight come from the proxy
# log (bench_helper.py log-heads): when swiftfs keeps P HEADs at the server as curl does and
# the rate does not grow with P, the server is the limit.

heads_parallel=${BENCH_HEADS_PARALLEL:-1 16 32 64}
heads_curl_count=${BENCH_HEADS_CURL_COUNT:-3000}

# record_heads KEY_SUFFIX TOOL MARK AGENT: from the proxy log after line MARK, the HEADs of
# the tree AGENT sent: how many, per second (first start to last end), how many were in
# flight on average (equal to P when the client always has P HEADs waiting at the server)
# and their mean duration at the proxy.
record_heads() {
  local stats
  sleep 1  # the proxy writes its access log line after the response
  read -r -a stats <<<"$($helper log-heads "$proxy_log" "$3" "$container/$mtime_dir/" "$4")"
  record "heads_n_$1" "$2" "${stats[0]}"
  record "heads_rate_$1" "$2" "${stats[1]}"
  record "heads_flight_$1" "$2" "${stats[2]}"
  record "heads_ms_$1" "$2" "${stats[3]}"
}

# server_ticks NAME: CPU clock ticks (utime + stime) of the local Swift process whose command
# line contains NAME (proxy-server-r1.conf: the proxy on BENCH_URL's port; object-server),
# 0 when there is none. A single-process server can answer at most 1 / (CPU per HEAD) a second.
server_ticks() {
  local pid
  pid=$(pgrep -f -- "$1" | head -n 1) || true
  [ -n "$pid" ] || { echo 0; return; }
  sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}'
}

# cpu_ms_per_head BEFORE AFTER HEADS: milliseconds of CPU per HEAD from two tick counts.
cpu_ms_per_head() {
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "%.2f", (b - a) / hz * 1000 / n; else print "-" }'
}

curl_heads() {
  local p mark t ok i proxy0 object0
  for ((i = 0; i < heads_curl_count; i++)); do
    printf 'url = "%s"\noutput = /dev/null\n' "$(object_url "$(printf '%s/o%06d' "$mtime_dir" "$i")")"
  done >"$work/heads.curl"
  for p in $heads_parallel; do
    mark=$(log_mark); t=$(now)
    proxy0=$(server_ticks proxy-server-r1.conf) object0=$(server_ticks object-server.conf)
    ok=$(bench_curl --no-progress-meter --head --parallel --parallel-max "$p" -w '%{http_code}\n' -K "$work/heads.curl" |
      grep -c '^200$' || true)
    record "heads_s_$p" curl "$(seconds_since "$t")"
    record "heads_proxy_cpu_$p" curl \
      "$(cpu_ms_per_head "$proxy0" "$(server_ticks proxy-server-r1.conf)" "$heads_curl_count")"
    record "heads_object_cpu_$p" curl \
      "$(cpu_ms_per_head "$object0" "$(server_ticks object-server.conf)" "$heads_curl_count")"
    [ "$ok" = "$heads_curl_count" ] ||
      echo "bench: WARNING: curl heads P=$p: $ok of $heads_curl_count answered 200" >&2
    record_heads "$p" curl "$mark" curl/
  done
}

fuse_heads() {
  local tool=$1 p mark
  [ "$tool" = swiftfs ] || return 0
  for p in $heads_parallel; do
    [ "$p" -ge 2 ] || continue  # meta_fetchers=1 would be a walk of HEADs in turn
    mark=$(log_mark)
    SWIFTFS_BENCH_ARGS="${SWIFTFS_BENCH_ARGS:-} -o mtime=meta,meta_fetchers=$p" \
      mtime_ls "heads_ls_$p" swiftfs
    record "heads_s_$p" swiftfs "$(tail -n 1 "$work/results/heads_ls_$p.swiftfs")"
    record "heads_ok_$p" swiftfs "$(tail -n 1 "$work/results/heads_ls_${p}_ok.swiftfs")"
    record_heads "$p" swiftfs "$mark" swiftfs/
  done
}

print_heads_report() {
  local p header="| |" rule="|---|"
  for p in $heads_parallel; do header+=" P = $p |"; rule+="---:|"; done
  row() {  # row LABEL KEY TOOL
    local line="| $1 |" p
    for p in $heads_parallel; do line+=" $(median_of "${2}_$p" "$3") |"; done
    echo "$line"
  }
  echo
  echo "### HEADs per second: the server's ceiling (curl) and swiftfs mtime=meta, $mtime_count objects"
  echo
  echo "curl: \`curl --head --parallel --parallel-max P\` over $heads_curl_count of the object URLs;" \
    "swiftfs: cold \`ls -l\` with \`-o mtime=meta,meta_fetchers=P\`."
  echo
  echo "$header"
  echo "$rule"
  row "curl: seconds" heads_s curl
  row "curl: HEADs" heads_n curl
  row "curl: HEADs/s" heads_rate curl
  row "curl: HEADs in flight at the proxy (mean)" heads_flight curl
  row "curl: ms per HEAD at the proxy (mean)" heads_ms curl
  row "curl: proxy CPU ms per HEAD (all its clients)" heads_proxy_cpu curl
  row "curl: object server CPU ms per HEAD (all its clients)" heads_object_cpu curl
  row "swiftfs ls -l: seconds" heads_s swiftfs
  row "swiftfs ls -l: HEADs" heads_n swiftfs
  row "swiftfs ls -l: HEADs/s" heads_rate swiftfs
  row "swiftfs ls -l: HEADs in flight at the proxy (mean)" heads_flight swiftfs
  row "swiftfs ls -l: ms per HEAD at the proxy (mean)" heads_ms swiftfs
  row "swiftfs ls -l: files showing X-Object-Meta-Mtime" heads_ok swiftfs
}
