# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Measure "bypath", sourced by scripts/bench: `cat` of 200 objects named by path, no
# listing first (a program reading a known file list), in a pseudo-directory of 12,000
# objects, on a fresh cold mount: seconds and requests. The cost of a cold lookup: swiftfs
# answers the first by one bounded listing, then lists the busy directory once (about 200
# GETs and a few listings); curl is the ceiling (the 200 GETs alone).

bypath_count=12000 bypath_every=60  # 200 files: o000000, o000060, ...
bypath_files() {
  local i
  for ((i = 0; i < bypath_count; i += bypath_every)); do printf 'bypath12k/o%06d\n' "$i"; done
}
bypath_setup() { upload_tree bypath12k bypath12k/o "$bypath_count" 2048; }

# bypath_requests MARK AGENT: requests for bypath12k (its objects, and listings with a
# prefix in it) sent by AGENT after line MARK of the proxy log. Counting only this data set
# keeps out what other mounts of the container send meanwhile (every swiftfs has the same
# User-Agent).
bypath_requests() {
  sleep 1  # the proxy writes its access log line after the response
  awk -v start="$1" -v agent="$2" 'NR > start && $2 != "-" && index($10, agent) == 1 &&
    index($6, "/'"$container"'") && index($6, "bypath12k") { n++ } END { print n + 0 }' \
    "$proxy_log"
}

fuse_bypath() {
  local tool=$1 mark t agent=swiftfs/
  [ "$tool" = swiftfs ] || agent=rclone/
  bypath_setup
  bypath_files >"$work/bypath.list"
  mount_fs "$tool"; cold; mark=$(log_mark); t=$(now)
  (cd "$mnt" && xargs cat <"$work/bypath.list" >/dev/null)
  record bypath "$tool" "$(seconds_since "$t")"
  record bypath_req "$tool" "$(bypath_requests "$mark" "$agent")"
  unmount_fs
}

curl_bypath() {
  local name t mark first=1
  bypath_setup
  for name in $(bypath_files); do
    [ "$first" = 1 ] || echo next
    first=0
    printf 'url = "%s"\noutput = /dev/null\nheader = "@%s"\n' "$(object_url "$name")" \
      "$work/auth-header"
  done >"$work/bypath.curl"
  mark=$(log_mark); t=$(now); bench_curl -K "$work/bypath.curl"
  record bypath curl "$(seconds_since "$t")"
  record bypath_req curl "$(bypath_requests "$mark" curl/)"
}

# Rows of the report (print_report appends them).
measure_rows+=("bypath|7. cat of 200 files by path in 12,000, cold, no listing first (s)"
  "bypath_req|7. cat of 200 files by path in 12,000 (HTTP requests)")
