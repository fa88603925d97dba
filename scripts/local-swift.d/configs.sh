# shellcheck shell=bash disable=SC2154 # $state and the paths derived from it come from settings.sh, sourced first
# Configuration files of the local Swift + Keystone, sourced by scripts/local-swift.
# Rewritten on every start from settings.sh and the credentials file, so an edit here takes
# effect on the next start without a reset. Everything binds to 127.0.0.1.

swift_conf_dir=$conf_dir/swift
keystone_conf_dir=$conf_dir/keystone

# Swift reads its hash salt from this fixed path (swift.common.utils.SWIFT_CONF_FILE); the
# Debian package ships one. Only a missing salt is filled in, never an existing one replaced:
# changing it would orphan data of any other Swift on this machine.
ensure_system_swift_conf() {
  if ! grep -Eq '^\s*swift_hash_path_(suffix|prefix)\s*=\s*\S' /etc/swift/swift.conf 2>/dev/null; then
    mkdir -p /etc/swift
    cat >/etc/swift/swift.conf <<EOF
[swift-hash]
swift_hash_path_suffix = swiftfs-local
swift_hash_path_prefix = swiftfs-local

[storage-policy:0]
name = Policy-0
default = yes
EOF
  fi
}

# Settings every Swift server shares. $1: log name, $2: port.
swift_server_defaults() {
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
# One process per server: its pid is the one we record, and two cores do not need more.
workers = 0
user = root
swift_dir = $swift_conf_dir
devices = $devices_dir
mount_check = false
disable_fallocate = true
log_name = $1
log_level = INFO
recon_cache_path = $state/cache
EOF
}

write_backend_configs() {
  {
    swift_server_defaults object-server "$SWIFTFS_OBJECT_PORT"
    cat <<EOF

[pipeline:main]
pipeline = healthcheck object-server

[app:object-server]
use = egg:swift#object

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  } >"$swift_conf_dir/object-server.conf"

  {
    swift_server_defaults container-server "$SWIFTFS_CONTAINER_PORT"
    cat <<EOF

[pipeline:main]
pipeline = healthcheck container-server

[app:container-server]
use = egg:swift#container

[filter:healthcheck]
use = egg:swift#healthcheck

# Run with --once from a loop (see run_updater_loop): the daemon form keeps both cores busy.
[container-updater]
concurrency = 1
log_name = container-updater
EOF
  } >"$swift_conf_dir/container-server.conf"

  {
    swift_server_defaults account-server "$SWIFTFS_ACCOUNT_PORT"
    cat <<EOF

[pipeline:main]
pipeline = healthcheck account-server

[app:account-server]
use = egg:swift#account

[filter:healthcheck]
use = egg:swift#healthcheck
EOF
  } >"$swift_conf_dir/account-server.conf"
}

# write_proxy_config FILE PORT LOG_NAME
write_proxy_config() {
  local file=$1 port=$2 log_name=$3
  {
    cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = root
swift_dir = $swift_conf_dir
log_name = $log_name
log_level = INFO
# Copies every access-log line into \$SWIFTFS_PROXY_ACCESS_LOG (local-swift.d/swiftfs_access_log.py):
# there is no syslog daemon here, and benchmarks count requests in that file.
log_custom_handlers = swiftfs_access_log.add_file_handler

[pipeline:main]
# authtoken before keystoneauth before tempauth, each auth system with its own reseller
# prefix (AUTH_ for Keystone, TEMPAUTH_ for v1): otherwise one overrides the other.
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl authtoken keystoneauth tempauth copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
# One node per ring: shunning it after errors (default: 60 s) only turns a blip into 503s.
error_suppression_interval = 1

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$SWIFTFS_MEMCACHED_PORT

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:$SWIFTFS_KEYSTONE_PORT/v3
auth_url = http://127.0.0.1:$SWIFTFS_KEYSTONE_PORT/v3
auth_type = password
user_domain_id = default
project_domain_id = default
project_name = service
username = swift
password = $SWIFTFS_SWIFT_SERVICE_PASSWORD
interface = public
delay_auth_decision = True
memcached_servers = 127.0.0.1:$SWIFTFS_MEMCACHED_PORT
include_service_catalog = False

[filter:keystoneauth]
use = egg:swift#keystoneauth
reseller_prefix = AUTH_
operator_roles = admin, member
reseller_admin_role = ResellerAdmin

[filter:tempauth]
use = egg:swift#tempauth
reseller_prefix = TEMPAUTH
user_test_tester = testing .admin

[filter:copy]
use = egg:swift#copy

[filter:container-quotas]
use = egg:swift#container_quotas

[filter:account-quotas]
use = egg:swift#account_quotas

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes

[filter:symlink]
use = egg:swift#symlink
EOF
  } >"$file"
}

write_swift_configs() {
  mkdir -p "$swift_conf_dir" "$devices_dir/d1" "$state/cache"
  ensure_system_swift_conf
  write_backend_configs
  write_proxy_config "$swift_conf_dir/proxy-server-r1.conf" "$SWIFTFS_PROXY_PORT" proxy-r1
  write_proxy_config "$swift_conf_dir/proxy-server-r2.conf" "$SWIFTFS_PROXY2_PORT" proxy-r2
}

write_keystone_configs() {
  mkdir -p "$keystone_conf_dir" "$keystone_dir"
  cat >"$keystone_conf_dir/keystone.conf" <<EOF
[DEFAULT]
# Logs go to stderr, which uwsgi writes to $log_dir/keystone*.log.
use_stderr = true

[database]
# sqlite allows one writer: uwsgi runs one thread per instance (more: "database is locked").
connection = sqlite:///$keystone_dir/keystone.db

[identity]
# Cheap hashes: tests authenticate often, and this Keystone guards nothing of value.
password_hash_rounds = 4

[token]
provider = fernet

[fernet_tokens]
key_repository = $keystone_dir/fernet-keys

[fernet_receipts]
key_repository = $keystone_dir/fernet-keys

[credential]
key_repository = $keystone_dir/credential-keys

[cache]
# Without a cache every token validation costs about a second.
enabled = true
backend = dogpile.cache.memcached
memcache_servers = 127.0.0.1:$SWIFTFS_MEMCACHED_PORT
EOF

  # The short-token instance reads keystone.conf, then this override.
  cat >"$keystone_conf_dir/keystone-short.conf" <<EOF
[token]
expiration = $SWIFTFS_SHORT_TOKEN_LIFETIME
EOF

  write_uwsgi_config keystone "$SWIFTFS_KEYSTONE_PORT" "$keystone_conf_dir/keystone.conf"
  write_uwsgi_config keystone-short "$SWIFTFS_KEYSTONE_SHORT_PORT" \
    "$keystone_conf_dir/keystone.conf;$keystone_conf_dir/keystone-short.conf"
}

# write_uwsgi_config NAME PORT CONFIG_FILES
write_uwsgi_config() {
  cat >"$keystone_conf_dir/$1-uwsgi.ini" <<EOF
[uwsgi]
plugins = http,python3
master = true
processes = 1
threads = 1
# The HTTP router keeps client connections alive and feeds the worker through a unix socket.
http = 127.0.0.1:$2
http-keepalive = 1
http-to = $run_dir/$1.sock
socket = $run_dir/$1.sock
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=$3
need-app = true
die-on-term = true
buffer-size = 65535
chdir = $keystone_dir
EOF
}
