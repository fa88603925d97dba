# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Measure `heads` of scripts/bench (--measures heads, only when asked for): how many HEADs a
# second the server answers, against how many swiftfs's `-o mtime=meta` sends, on the
# 12,000 objects of measure `mtime` (mtime12k/, set up by measure_mtime.sh):
#   curl     HEAD of the first $heads_curl_count objects with `curl --parallel --parallel-max P`
#            (P = 1: one at a time on one connection, as rclone's default mount does them):
#            the ceiling, in HEADs/s (a part of the tree, so that the measure holds the
#            bench lock a few minutes on a loaded server; the rate is what counts)
#   swiftfs  cold `ls -l` with -o mtime=meta,meta_fetchers=P: seconds, HEADs, HEADs/s
# for P in $heads_parallel. The HEAD rate of swiftfs counts the whole `ls -l` (the listing
# included, about a second), so it slightly understates the rate of its HEADs alone.

heads_parallel=${BENCH_HEADS_PARALLEL:-1 16 32 64}
heads_curl_count=${BENCH_HEADS_CURL_COUNT:-3000}

# heads_of_tree MARK AGENT: HEAD requests for the tree sent by AGENT after line MARK.
heads_of_tree() {
  sleep 1  # the proxy writes its access log line after the response
  tail -n +"$(($1 + 1))" "$proxy_log" |
    awk -v a="$2" -v d="$mtime_dir" '$2 != "-" && $5 == "HEAD" && index($6, d) && index($10, a) == 1' |
    wc -l
}

per_second() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }

curl_heads() {
  local p mark t s ok i
  for ((i = 0; i < heads_curl_count; i++)); do
    printf 'url = "%s"\noutput = /dev/null\n' "$(object_url "$(printf '%s/o%06d' "$mtime_dir" "$i")")"
  done >"$work/heads.curl"
  for p in $heads_parallel; do
    mark=$(log_mark); t=$(now)
    ok=$(bench_curl --no-progress-meter --head --parallel --parallel-max "$p" -w '%{http_code}\n' -K "$work/heads.curl" |
      grep -c '^200$' || true)
    s=$(seconds_since "$t")
    [ "$ok" = "$heads_curl_count" ] ||
      echo "bench: WARNING: curl heads P=$p: $ok of $heads_curl_count answered 200" >&2
    record "heads_s_$p" curl "$s"
    record "heads_n_$p" curl "$(heads_of_tree "$mark" curl/)"
    record "heads_rate_$p" curl "$(per_second "$ok" "$s")"
  done
}

fuse_heads() {
  local tool=$1 p mark s n
  [ "$tool" = swiftfs ] || return 0
  for p in $heads_parallel; do
    [ "$p" -ge 2 ] || continue  # meta_fetchers=1 would be a walk of HEADs in turn
    mark=$(log_mark)
    SWIFTFS_BENCH_ARGS="${SWIFTFS_BENCH_ARGS:-} -o mtime=meta,meta_fetchers=$p" \
      mtime_ls "heads_ls_$p" swiftfs
    s=$(tail -n 1 "$work/results/heads_ls_$p.swiftfs")
    n=$(heads_of_tree "$mark" swiftfs/)
    record "heads_s_$p" swiftfs "$s"
    record "heads_n_$p" swiftfs "$n"
    record "heads_rate_$p" swiftfs "$(per_second "$n" "$s")"
    record "heads_ok_$p" swiftfs "$(tail -n 1 "$work/results/heads_ls_${p}_ok.swiftfs")"
  done
}

print_heads_report() {
  local p header="| | " rule="|---|"
  for p in $heads_parallel; do header+="P = $p | "; rule+="---:|"; done
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
  row "curl: HEADs/s" heads_rate curl
  row "swiftfs ls -l: seconds" heads_s swiftfs
  row "swiftfs ls -l: HEADs" heads_n swiftfs
  row "swiftfs ls -l: HEADs/s" heads_rate swiftfs
  row "swiftfs ls -l: files showing X-Object-Meta-Mtime" heads_ok swiftfs
}
