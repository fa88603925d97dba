# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Measure `mtime` of scripts/bench (--measures mtime), sourced by it: `ls -l` of a
# pseudo-directory of 12,000 objects that carry X-Object-Meta-Mtime, on a cold mount:
#   swiftfs  with -o mtime=meta (one HEAD per object version, in parallel) and -o mtime=server
#   rclone   default (a HEAD per object for its mtime) and --no-modtime --use-server-modtime
#   curl     the listing alone (the floor)
# Seconds, requests (proxy log) and how many files show their X-Object-Meta-Mtime; swiftfs
# mtime=meta also with 600 s directory and entry caches.
# Object i (mtime12k/o000000 ...) has X-Object-Meta-Mtime 1000000000 + i, so a correct
# `ls -l --time-style=+%s` line ends in that number.

mtime_count=12000
mtime_dir=mtime12k

# Uploads the tree once (bulk extract-archive; Swift turns the pax header
# SCHILY.xattr.user.meta.mtime of each member into X-Object-Meta-Mtime).
setup_mtime_tree() {
  dataset_ready "$mtime_dir" && return 0
  echo "setup: uploading $mtime_count objects $mtime_dir/o* with X-Object-Meta-Mtime" >&2
  local first batch=4000 tar reply
  for ((first = 0; first < mtime_count; first += batch)); do
    tar=$work/$mtime_dir-$first.tar
    /usr/bin/python3 - "$mtime_dir" "$first" "$batch" "$tar" <<'PY'
import io, sys, tarfile
prefix, first, n, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
    for i in range(first, first + n):
        data = b"%016d" % i
        info = tarfile.TarInfo(f"{prefix}/o{i:06d}")
        info.size = len(data)
        info.pax_headers = {"SCHILY.xattr.user.meta.mtime": str(1000000000 + i)}
        tar.addfile(info, io.BytesIO(data))
PY
    eval "$($helper auth)" && write_auth_header
    reply=$(bench_curl -X PUT -H "Accept: application/json" -T "$tar" \
      "$BENCH_URL/$container?extract-archive=tar")
    rm -f "$tar"
    case $reply in
      *'"Response Status": "201 Created"'*) ;;
      *) echo "setup: extract-archive failed: $reply" >&2; return 1 ;;
    esac
  done
  mark_dataset "$mtime_dir"
}

# mtime_ls KEY TOOL: one cold `ls -l` of the tree; records seconds, requests and the files
# whose mtime is their X-Object-Meta-Mtime.
mtime_ls() {
  local key=$1 tool=$2 mark agent=swiftfs/
  [[ $tool == rclone* ]] && agent=rclone/
  mark=$(log_mark)
  # shellcheck disable=SC2016  # $1 expands in the child shell: the mount point
  timed_listing "$key" "$tool" "ls -l --time-style=+%s \"\$1/$mtime_dir\" >'$work/mtime-ls'"
  # Requests naming the tree (HEADs of its objects, listings of its prefix), so that other
  # clients of the shared container, even another swiftfs, are not counted.
  record "${key}_treq" "$tool" "$(tail -n +"$((mark + 1))" "$proxy_log" |
    awk -v a="$agent" -v d="$mtime_dir" '$2 != "-" && index($6, d) && index($10, a) == 1' | wc -l)"
  record "${key}_ok" "$tool" "$(awk '{ if ($6 == 1000000000 + substr($7, 2)) n++ } END { print n + 0 }' \
    "$work/mtime-ls" 2>/dev/null || echo 0)"
}

fuse_mtime() {
  local tool=$1
  case $tool in
    swiftfs)
      SWIFTFS_BENCH_ARGS="${SWIFTFS_BENCH_ARGS:-} -o mtime=meta" mtime_ls mtime_meta swiftfs
      # The same with caches that outlive the listing: when the HEADs take longer than
      # dir_cache_timeout (a loaded server), the stats after it go one lookup at a time.
      SWIFTFS_BENCH_ARGS="${SWIFTFS_BENCH_ARGS:-} -o mtime=meta,dir_cache_timeout=600,entry_timeout=600" \
        mtime_ls mtime_meta600 swiftfs
      SWIFTFS_BENCH_ARGS="${SWIFTFS_BENCH_ARGS:-} -o mtime=server" mtime_ls mtime_server swiftfs
      ;;
    rclone)
      mtime_ls mtime_meta rclone
      # shellcheck disable=SC2034  # read by mount_fs
      local -a rclone_tuned_flags=(--no-modtime --use-server-modtime)
      mtime_ls mtime_server rclone-tuned
      ;;
  esac
}

curl_mtime() {
  local mark t stats
  mark=$(log_mark); t=$(now)
  curl_list_all "$mtime_dir/"
  record mtime_list curl "$(seconds_since "$t")"
  read -r -a stats <<<"$(log_since "$mark" curl)"; record mtime_list_req curl "${stats[0]}"
}

print_mtime_report() {
  echo
  echo "### ls -l of $mtime_count objects carrying X-Object-Meta-Mtime, cold mount"
  echo
  echo "Columns: swiftfs \`-o mtime=meta\` / \`-o mtime=server\`; rclone mount default /" \
    "\`--no-modtime --use-server-modtime\`; curl: the listing alone."
  echo
  echo "| measure | swiftfs meta | swiftfs meta, 600 s caches | swiftfs server | rclone default |" \
    "rclone server-modtime | curl listing |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  echo "| seconds | $(median_of mtime_meta swiftfs) | $(median_of mtime_meta600 swiftfs) |" \
    "$(median_of mtime_server swiftfs) |" \
    "$(median_of mtime_meta rclone) | $(median_of mtime_server rclone-tuned) |" \
    "$(median_of mtime_list curl) |"
  echo "| HTTP requests naming the tree | $(median_of mtime_meta_treq swiftfs) |" \
    "$(median_of mtime_meta600_treq swiftfs) | $(median_of mtime_server_treq swiftfs) | $(median_of mtime_meta_treq rclone) |" \
    "$(median_of mtime_server_treq rclone-tuned) | $(median_of mtime_list_req curl) |"
  echo "| files showing X-Object-Meta-Mtime | $(median_of mtime_meta_ok swiftfs) |" \
    "$(median_of mtime_meta600_ok swiftfs) | $(median_of mtime_server_ok swiftfs) | $(median_of mtime_meta_ok rclone) |" \
    "$(median_of mtime_server_ok rclone-tuned) | - |"
}
