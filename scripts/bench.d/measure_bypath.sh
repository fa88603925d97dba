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

fuse_bypath() {
  bypath_setup
  bypath_files >"$work/bypath.list"
  timed_listing bypath "$1" "cd \"\$1\" && xargs cat <'$work/bypath.list' >/dev/null"
}

curl_bypath() {
  local name t mark stats first=1
  bypath_setup
  for name in $(bypath_files); do
    [ "$first" = 1 ] || echo next
    first=0
    printf 'url = "%s"\noutput = /dev/null\nheader = "@%s"\n' "$(object_url "$name")" \
      "$work/auth-header"
  done >"$work/bypath.curl"
  mark=$(log_mark); t=$(now); bench_curl -K "$work/bypath.curl"
  record bypath curl "$(seconds_since "$t")"
  read -r -a stats <<<"$(log_since "$mark" curl)"; record bypath_req curl "${stats[0]}"
}

# Rows of the report (print_report appends them).
measure_rows+=("bypath|7. cat of 200 files by path in 12,000, cold, no listing first (s)"
  "bypath_req|7. cat of 200 files by path in 12,000 (HTTP requests)")
