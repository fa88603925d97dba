# shellcheck shell=bash disable=SC2034 # the paths at the end are used by processes.sh and configs.sh
# Settings of the local Swift + Keystone, sourced by scripts/local-swift.
#
# Ports and lifetimes come from the environment on the first start and are then recorded in
# $state/settings.env: the rings and the Keystone catalog contain them, so a later start with
# different values would serve a half-reconfigured cluster. A conflicting value is an error
# that names the way out (`scripts/local-swift reset`, or another SWIFTFS_LOCAL_DIR).

state=${SWIFTFS_LOCAL_DIR:-/var/tmp/swiftfs-local}
settings_file=$state/settings.env

# name=default pairs; each name is also the environment variable that overrides it.
setting_defaults=(
  SWIFTFS_KEYSTONE_PORT=5000
  SWIFTFS_KEYSTONE_SHORT_PORT=5001
  SWIFTFS_PROXY_PORT=8080
  SWIFTFS_PROXY2_PORT=8081
  SWIFTFS_OBJECT_PORT=6210
  SWIFTFS_CONTAINER_PORT=6211
  SWIFTFS_ACCOUNT_PORT=6212
  SWIFTFS_MEMCACHED_PORT=11311
  SWIFTFS_SHORT_TOKEN_LIFETIME=8
)

# Fills the SWIFTFS_* variables above from settings.env, or from the environment and the
# defaults when the state directory is new. With --strict (start), an environment value
# that conflicts with the recorded one is an error; otherwise the recorded value wins.
load_settings() {
  local strict='' pair name default recorded requested
  [ "${1:-}" != --strict ] || strict=1
  for pair in "${setting_defaults[@]}"; do
    name=${pair%%=*}
    default=${pair#*=}
    requested=${!name:-}
    recorded=
    if [ -f "$settings_file" ]; then
      recorded=$(sed -n "s/^$name=//p" "$settings_file")
    fi
    if [ -n "$recorded" ]; then
      if [ -n "$strict" ] && [ -n "$requested" ] && [ "$requested" != "$recorded" ]; then
        echo "local-swift: $state was set up with $name=$recorded, not $requested;" \
          "run 'scripts/local-swift reset' or use another SWIFTFS_LOCAL_DIR" >&2
        return 1
      fi
      printf -v "$name" '%s' "$recorded"
    else
      printf -v "$name" '%s' "${requested:-$default}"
    fi
    case ${!name} in
      '' | *[!0-9]*)
        echo "local-swift: $name must be a number, got '${!name}'" >&2
        return 1
        ;;
    esac
  done
}

save_settings() {
  local pair name
  mkdir -p "$state"
  : >"$settings_file.tmp"
  for pair in "${setting_defaults[@]}"; do
    name=${pair%%=*}
    echo "$name=${!name}" >>"$settings_file.tmp"
  done
  mv "$settings_file.tmp" "$settings_file"
}

# Paths derived from $state.
conf_dir=$state/etc
run_dir=$state/run
log_dir=$state/log
devices_dir=$state/srv/node
keystone_dir=$state/keystone
credentials_file=$state/credentials.env
access_log=$log_dir/proxy-access.log
