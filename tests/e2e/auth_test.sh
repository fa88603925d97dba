#!/usr/bin/env bash
# shellcheck disable=SC2015 # `cond && pass ... || fail ...`: pass only echoes, so never fails
# Start-up failures exit non-zero with the reason BEFORE mounting; --check-auth; a password
# given with -o does not stay visible in the process's command line.
. "$(dirname "$0")/lib.sh"
require_swift
container=$(data_container)
mnt=$work/mnt
mkdir -p "$mnt"

# expect_startup_failure DESCRIPTION PATTERN ARGS...
expect_startup_failure() {
  local what=$1 pattern=$2
  shift 2
  local out rc
  out=$(timeout 60 "$SWIFTFS_BIN" -f "$@" 2>&1)
  rc=$?
  if [ $rc -eq 1 ] && grep -qiE "$pattern" <<<"$out" && ! grep -q " $mnt " /proc/mounts; then
    pass "$what: exit 1 before mounting: $(head -n1 <<<"$out")"
  else
    fail "$what: rc=$rc output='$out'"
  fi
}
expect_startup_failure "wrong password" "401|unauthori|password|credential" \
  -o password=wrong-password "$container" "$mnt"
expect_startup_failure "unreachable auth URL" "connect|refused|unreachable" \
  -o auth_url=http://127.0.0.1:9/v3 "$container" "$mnt"
expect_startup_failure "missing container" "not.found|404|no such" \
  "no-such-container-$$" "$mnt"
expect_startup_failure "bad option" "unknown option" -o frobnicate "$mnt"
expect_startup_failure "missing mountpoint" "missing MOUNTPOINT"
out=$(timeout 60 "$SWIFTFS_BIN" -f "$container" "$work/no-such-dir" 2>&1)
expect_eq "mount on a missing directory exits 2" "2" "$?"

out=$(timeout 60 "$SWIFTFS_BIN" --check-auth "$container" 2>&1)
rc=$?
echo "$out"
expect_eq "--check-auth exit status" "0" "$rc"
grep -q "$OS_PROJECT_NAME" <<<"$out" && pass "--check-auth names the project" || fail "--check-auth: no project"
grep -q "http://127.0.0.1:8080/v1/AUTH_" <<<"$out" && pass "--check-auth shows the storage URL" || fail "--check-auth: no storage URL"
grep -q "gAAAA" <<<"$out" && fail "--check-auth printed a token" || pass "--check-auth prints no token"
out=$(timeout 60 "$SWIFTFS_BIN" --check-auth -o password=wrong 2>&1)
expect_eq "--check-auth with a wrong password exits 1" "1" "$?"

# -o password=... works, warns, and is scrubbed from /proc/PID/cmdline.
password=$OS_PASSWORD
mount_swiftfs "$mnt" -o "password=$password" "$container" || fail "mount with -o password"
if ! running "$SWIFTFS_PID"; then
  fail "swiftfs with -o password= is not running"
elif tr '\0' ' ' <"/proc/$SWIFTFS_PID/cmdline" | grep -qF "$password"; then
  fail "password still visible in /proc/PID/cmdline"
else
  pass "password scrubbed from the command line: $(tr '\0' ' ' <"/proc/$SWIFTFS_PID/cmdline")"
fi
grep -q "visible" "$work/swiftfs.log" && pass "warned about -o password" || fail "no warning about -o password"
grep -qF "$password" "$work/swiftfs.log" && fail "password in the log" || pass "password not in the log"
finish
