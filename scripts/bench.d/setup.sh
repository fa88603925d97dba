# shellcheck shell=bash disable=SC2154  # variables of scripts/bench
# Data setup for scripts/bench, sourced by it. Idempotent: each data set is uploaded once and
# then marked by an object .bench/<name>-v1; a run finds the marker and skips the upload.
# Needs: $helper, $container, $BENCH_URL, $BENCH_TOKEN, $work (a temp directory).

# The token goes to curl through a header file, never on a command line (ps shows those).
bench_curl() { curl -sS -H "@$work/auth-header" "$@"; }
write_auth_header() {
  (umask 077 && printf 'X-Auth-Token: %s\n' "$BENCH_TOKEN" >"$work/auth-header")
}

dataset_ready() {
  [ "$(bench_curl -o /dev/null -w '%{http_code}' -I "$BENCH_URL/$container/.bench/$1-v1")" = 200 ]
}

mark_dataset() {
  bench_curl -o /dev/null -X PUT --data-binary "ok" "$BENCH_URL/$container/.bench/$1-v1"
}

# upload_tree NAME PREFIX COUNT SIZE: COUNT objects PREFIX%06d of SIZE bytes (or MIN-MAX:
# sizes drawn between them, see bench_helper.py tar), through Swift's
# bulk extract-archive in tars of 5,000 files, one at a time (parallel uploads were slower
# on the local one-process Swift: its container database serialises them).
upload_tree() {
  local name=$1 prefix=$2 count=$3 size=$4 batch=5000 first=0 pids=()
  dataset_ready "$name" && return 0
  echo "setup: uploading $count objects $prefix* ($size bytes each)" >&2
  while [ "$first" -lt "$count" ]; do
    local n=$((count - first < batch ? count - first : batch)) tar=$work/$name-$first.tar
    eval "$($helper auth)" && write_auth_header  # a long upload outlives a token
    # Resumable: a batch whose last object exists was uploaded by an earlier run; objects
    # an overloaded server refused in it are put one by one.
    if [ "$(bench_curl -o /dev/null -w '%{http_code}' -I \
      "$BENCH_URL/$container/$(printf '%s%06d' "$prefix" $((first + n - 1)))")" = 200 ]; then
      local missing
      for missing in $(BENCH_TOKEN=$BENCH_TOKEN $helper missing "$BENCH_URL/$container" \
        "$prefix" "$first" "$n"); do
        head -c "${size##*-}" /dev/urandom | bench_curl -o /dev/null -X PUT --data-binary @- \
          "$BENCH_URL/$container/$missing"
      done
      first=$((first + n))
      continue
    fi
    $helper tar "$prefix" "$first" "$n" "$size" "$tar"
    (
      reply=$(bench_curl -X PUT -H "Accept: application/json" -T "$tar" \
        "$BENCH_URL/$container?extract-archive=tar")
      rm -f "$tar"
      case $reply in
        *'"Response Status": "201 Created"'*) ;;
        *) echo "setup: extract-archive failed: $reply" >&2; exit 1 ;;
      esac
    ) &
    pids+=($!)
    first=$((first + n))
    if [ "${#pids[@]}" -ge "${BENCH_UPLOAD_PARALLEL:-1}" ]; then
      wait "${pids[0]}" || return 1
      pids=("${pids[@]:1}")
    fi
  done
  for pid in "${pids[@]}"; do wait "$pid" || return 1; done
  mark_dataset "$name"
}

# upload_big NAME PREFIX COUNT BYTES: COUNT objects PREFIX0.. of random data.
upload_big() {
  local name=$1 prefix=$2 count=$3 bytes=$4 i
  dataset_ready "$name" && return 0
  echo "setup: uploading $count objects of $bytes bytes ($prefix*)" >&2
  head -c "$bytes" /dev/urandom >"$work/big.bin"
  for ((i = 0; i < count; i++)); do
    # A different first block per object: four distinct objects, one random file.
    head -c 4096 /dev/urandom | dd of="$work/big.bin" conv=notrunc status=none
    local code
    code=$(bench_curl -o /dev/null -w '%{http_code}' -X PUT -T "$work/big.bin" \
      "$BENCH_URL/$container/$prefix$i")
    [ "$code" = 201 ] || { echo "setup: PUT $prefix$i answered $code" >&2; return 1; }
  done
  rm -f "$work/big.bin"
  mark_dataset "$name"
}

setup_data() {
  bench_curl -o /dev/null -X PUT "$BENCH_URL/$container"
  upload_tree small small/f 1000 4096
  upload_tree files1m files1m/f 100 $((1024 * 1024))
  upload_big "$big_name" "$big_prefix" 4 "$big_bytes"
  local tree
  for tree in $trees; do
    case $tree in
      # 16-byte objects: a listing entry of 0 bytes may be a DLO manifest, which swiftfs
      # (and rclone) HEAD for the real size; the empty* trees measure that case.
      files10k) upload_tree files10k files10k/o 10000 16 ;;
      files100k) upload_tree files100k files100k/o 100000 16 ;;
      empty10k) upload_tree tree10k tree10k/o 10000 0 ;;
      empty100k) upload_tree tree100k tree100k/o 100000 0 ;;
    esac
  done
}
