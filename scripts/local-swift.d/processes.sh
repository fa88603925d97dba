# shellcheck shell=bash disable=SC2154 # $state and the paths derived from it come from settings.sh, sourced first
# Process bookkeeping for scripts/local-swift, sourced after settings.sh.
#
# Every component runs in its own session (setsid), so its pid is also its session id and
# everything it forks (uwsgi workers and router, the updater's children) can be found and
# stopped through that id, never by process name. A pid file holds "<pid> <start time>"; the
# start time (field 22 of /proc/<pid>/stat) tells our process apart from an unrelated one
# that got the same pid after a reboot or a crash.

# Prints the start time of a live process in clock ticks since boot; nothing for a zombie
# (init reaps our orphans only every few seconds) or a missing process.
process_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  # The command name (field 2) may contain spaces; the fields after it are plain.
  stat=${stat##*) }
  [ "${stat%% *}" != Z ] || return 0
  echo "$stat" | cut -d' ' -f20
}

pid_file() { echo "$run_dir/$1.pid"; }

# Prints the pid of a running component, or fails.
component_pid() {
  local file pid started
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  read -r pid started <"$file" || return 1
  [ -n "$pid" ] && [ "$(process_start_time "$pid")" = "$started" ] || return 1
  echo "$pid"
}

is_running() { component_pid "$1" >/dev/null; }

# spawn NAME LOG COMMAND...: starts COMMAND detached in a new session, output to LOG.
spawn() {
  local name=$1 log=$2 pid
  shift 2
  # 9>&-: the daemon must not inherit the lock of take_lock.
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  pid=$!
  echo "$pid $(process_start_time "$pid")" >"$(pid_file "$name")"
}

# Prints the pids of every live process in the session led by $1. Zombies are left out:
# our daemons are orphans, reaped whenever init gets to it, and they hold no port.
session_members() {
  ps -e -o pid=,sid=,stat= | awk -v sid="$1" '$2 == sid && $3 !~ /^Z/ { print $1 }'
}

# Stops a component and everything in its session: SIGTERM, then SIGKILL after 10 s.
stop_component() {
  local name=$1 pid members
  if ! pid=$(component_pid "$name"); then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  members=$(session_members "$pid")
  # shellcheck disable=SC2086 # one pid per word
  kill -TERM $members 2>/dev/null || true
  for _ in $(seq 1 100); do
    members=$(session_members "$pid")
    [ -n "$members" ] || break
    sleep 0.1
  done
  if [ -n "$members" ]; then
    echo "local-swift: $name did not stop on SIGTERM, sending SIGKILL" >&2
    # shellcheck disable=SC2086
    kill -KILL $members 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$(pid_file "$name")"
}

# True when something listens on 127.0.0.1:PORT (or on any address with that port).
port_in_use() {
  [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
}

# wait_http NAME URL SECONDS [COMPONENT]: waits until URL answers with a status below 500.
# Gives up early when COMPONENT (a pid-file name) has died, pointing at its log.
wait_http() {
  local name=$1 url=$2 seconds=$3 component=${4:-} deadline code
  deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null) || code=000
    if [ "$code" != 000 ] && [ "$code" -lt 500 ]; then
      return 0
    fi
    if [ -n "$component" ] && ! is_running "$component"; then
      echo "local-swift: $name died during start-up; see $log_dir/$component.log" >&2
      tail -n 20 "$log_dir/$component.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  echo "local-swift: $name did not answer at $url within ${seconds}s; see $log_dir" >&2
  return 1
}

# Serialises start, stop and reset of one state directory (two test runs starting at once
# would otherwise both find the ports free). Held until the script exits.
take_lock() {
  mkdir -p "$state"
  exec 9>"$state/lock"
  if ! flock -w 300 9; then
    echo "local-swift: another local-swift holds $state/lock" >&2
    return 1
  fi
}
