#!/usr/bin/python3
"""A small, faithful Keystone v2.0 identity server for swiftfs's integration tests.

Keystone 22 no longer serves the v2.0 API, but clouds that swiftfs must support still do
(OVH's "Managing tokens" guide is written against it). This server speaks v2.0 exactly as
its API reference describes it:

  GET  /                      300, {"versions": {"values": [v2.0]}}
  GET  /v2.0                  200, {"version": {"id": "v2.0", "links": [{"rel": "self"}]}}
  POST /v2.0/tokens           {"auth": {"passwordCredentials": {"username"|"userId",
                              "password"}, "tenantName"|"tenantId"}} or {"auth": {"token":
                              {"id"}}, ...}: 200 with access.token{id, expires, issued_at,
                              tenant}, access.serviceCatalog, access.user; 400 for malformed
                              requests and for both tenant fields; 401 for bad credentials
  DELETE /v2.0/tokens/{id}    admin only: 403 for the demo user, 401 without a token

To make its tokens work against the real local Swift, each v2.0 token is a real Keystone v3
token obtained from the upstream v3 service for the configured user (password method,
project scoped), with its expiry and its object-store endpoints converted to the v2.0 shape.

Configuration (arguments, or the environment named in their help): the user and password,
the tenant name, the upstream v3 URL. The tenant and user ids are learned from upstream.
Listens on 127.0.0.1 only. With --port 0 it picks a free port and prints "PORT <n>" on
stdout once it is listening. Runs until killed (SIGTERM/SIGINT).
"""

import argparse
import json
import os
import re
import signal
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UNAUTHORIZED = "The request you have made requires authentication."
INTERFACE_FIELDS = {"public": "publicURL", "internal": "internalURL", "admin": "adminURL"}


class Upstream:
    """The real Keystone v3 service the tokens come from."""

    def __init__(self, url, user, password, user_domain, project, project_domain):
        self.url = url.rstrip("/")
        self.user = user
        self.password = password
        self.user_domain = user_domain
        self.project = project
        self.project_domain = project_domain
        self._ids = None
        self._lock = threading.Lock()

    def _post(self, body):
        request = urllib.request.Request(
            self.url + "/auth/tokens", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.headers["X-Subject-Token"], json.load(response)["token"]
        except urllib.error.HTTPError as error:
            return None, {"status": error.code}

    def _scope(self, scoped):
        if not scoped:
            return {}
        return {"scope": {"project": {"name": self.project,
                                      "domain": {"name": self.project_domain}}}}

    def password_token(self, scoped):
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": self.user, "domain": {"name": self.user_domain},
            "password": self.password}}}}}
        body["auth"].update(self._scope(scoped))
        return self._post(body)

    def token_token(self, token, scoped):
        body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}}}}
        body["auth"].update(self._scope(scoped))
        return self._post(body)

    def ids(self):
        """(user id, project id) of the configured user and project, asked once."""
        with self._lock:
            if self._ids is None:
                token, body = self.password_token(scoped=True)
                if token is None:
                    raise RuntimeError("upstream v3 authentication failed: HTTP %s" %
                                       body.get("status"))
                self._ids = (body["user"]["id"], body["project"]["id"])
            return self._ids


def v2_time(v3_time, zone=True):
    """'2026-11-29T10:00:00.000000Z' -> '2026-11-29T10:00:00Z' (expires) or, without the
    zone, '2026-11-29T10:00:00.000000' (issued_at), as Keystone v2.0 wrote them."""
    base = v3_time.rstrip("Z")
    return base.split(".")[0] + "Z" if zone else base


def v2_catalog(v3_catalog):
    services = []
    for service in v3_catalog:
        by_region = {}
        for endpoint in service.get("endpoints", []):
            region = endpoint.get("region_id") or endpoint.get("region")
            field = INTERFACE_FIELDS.get(endpoint.get("interface"))
            if field:
                entry = by_region.setdefault(region, {"region": region, "id": endpoint["id"]})
                entry[field] = endpoint["url"]
        services.append({"type": service["type"], "name": service.get("name", service["type"]),
                         "endpoints": list(by_region.values()), "endpoints_links": []})
    return services


class Handler(BaseHTTPRequestHandler):
    server_version = "KeystoneV2Test/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        # The DELETE path holds a token: never print it.
        line = re.sub(r"/tokens/[^ ?]+", "/tokens/<token>", fmt % args)
        sys.stderr.write("keystone-v2: %s\n" % line)

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "X-Auth-Token")
        self.end_headers()
        self.wfile.write(data)

    def send_error_body(self, code, title, message):
        self.send_json(code, {"error": {"message": message, "code": code, "title": title}})

    def version_entry(self):
        host = "http://%s:%d" % self.server.server_address[:2]
        return {"id": "v2.0", "status": "deprecated", "updated": "2016-08-04T00:00:00Z",
                "links": [{"rel": "self", "href": host + "/v2.0/"},
                          {"rel": "describedby", "type": "text/html",
                           "href": "https://docs.openstack.org/"}],
                "media-types": [{"base": "application/json",
                                 "type": "application/vnd.openstack.identity-v2.0+json"}]}

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path == "":
            self.send_json(300, {"versions": {"values": [self.version_entry()]}})
        elif path == "/v2.0":
            self.send_json(200, {"version": self.version_entry()})
        else:
            self.send_error_body(404, "Not Found", "The resource could not be found.")

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_DELETE(self):
        self.read_body()
        if not re.fullmatch(r"/v2\.0/tokens/[^/]+", self.path.split("?")[0]):
            self.send_error_body(404, "Not Found", "The resource could not be found.")
        elif not self.headers.get("X-Auth-Token"):
            self.send_error_body(401, "Unauthorized", UNAUTHORIZED)
        else:
            # Revocation is an admin call in v2.0; the test user is not an admin.
            self.send_error_body(403, "Forbidden", "You are not authorized to perform the "
                                 "requested action: identity:revoke_token.")

    def do_POST(self):
        raw = self.read_body()
        if self.path.split("?")[0].rstrip("/") != "/v2.0/tokens":
            self.send_error_body(404, "Not Found", "The resource could not be found.")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self.send_error_body(400, "Bad Request", "Malformed request body: not JSON.")
            return
        auth = body.get("auth") if isinstance(body, dict) else None
        if not isinstance(auth, dict):
            self.send_error_body(400, "Bad Request", "Expecting to find auth in request body.")
            return
        if "tenantName" in auth and "tenantId" in auth:
            self.send_error_body(400, "Bad Request",
                                 "Expecting to find either tenantId or tenantName, not both.")
            return
        self.authenticate(auth)

    def authenticate(self, auth):
        upstream = self.server.upstream
        user_id, project_id = upstream.ids()
        scoped = "tenantName" in auth or "tenantId" in auth
        if "tenantName" in auth and auth["tenantName"] != upstream.project:
            return self.send_error_body(401, "Unauthorized", UNAUTHORIZED)
        if "tenantId" in auth and auth["tenantId"] != project_id:
            return self.send_error_body(401, "Unauthorized", UNAUTHORIZED)

        credentials = auth.get("passwordCredentials")
        if isinstance(credentials, dict):
            if "username" in credentials and "userId" in credentials:
                return self.send_error_body(400, "Bad Request", "Expecting to find either "
                                            "username or userId in passwordCredentials, not both.")
            if "username" not in credentials and "userId" not in credentials:
                return self.send_error_body(400, "Bad Request", "Expecting to find username "
                                            "or userId in passwordCredentials.")
            if not isinstance(credentials.get("password"), str):
                return self.send_error_body(400, "Bad Request",
                                            "Expecting to find password in passwordCredentials.")
            known_user = (credentials.get("username") == upstream.user or
                          credentials.get("userId") == user_id)
            if not known_user or credentials["password"] != upstream.password:
                return self.send_error_body(401, "Unauthorized", UNAUTHORIZED)
            token, v3 = upstream.password_token(scoped)
        elif isinstance(auth.get("token"), dict) and isinstance(auth["token"].get("id"), str):
            token, v3 = upstream.token_token(auth["token"]["id"], scoped)
        else:
            return self.send_error_body(400, "Bad Request",
                                        "Expecting to find passwordCredentials or token in auth.")
        if token is None:
            status = v3.get("status", 500)
            if status == 401:
                return self.send_error_body(401, "Unauthorized", UNAUTHORIZED)
            return self.send_error_body(503, "Service Unavailable", "upstream identity failed")

        access_token = {"id": token, "audit_ids": v3.get("audit_ids", []),
                        "issued_at": v2_time(v3["issued_at"], zone=False)}
        # Keystone v2.0 wrote "expires"; a token without expiry has none.
        access_token["expires"] = v2_time(v3["expires_at"]) if v3.get("expires_at") else None
        catalog = []
        if scoped:
            access_token["tenant"] = {"id": project_id, "name": upstream.project,
                                      "enabled": True, "description": None}
            catalog = v2_catalog(v3.get("catalog", []))
        roles = [{"name": role["name"]} for role in v3.get("roles", [])]
        self.send_json(200, {"access": {
            "token": access_token,
            "serviceCatalog": catalog,
            "user": {"id": user_id, "name": upstream.user, "username": upstream.user,
                     "roles": roles, "roles_links": []},
            "metadata": {"is_admin": 0, "roles": [r["name"] for r in roles]}}})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: pick one and print it")
    parser.add_argument("--upstream", default=os.environ.get("OS_AUTH_URL"),
                        help="Keystone v3 URL (default: $OS_AUTH_URL)")
    parser.add_argument("--user", default=os.environ.get("OS_USERNAME"),
                        help="user name (default: $OS_USERNAME)")
    parser.add_argument("--password-env", default="OS_PASSWORD",
                        help="environment variable holding the password (default: OS_PASSWORD;"
                             " kept out of the command line, which `ps` shows)")
    parser.add_argument("--tenant", default=os.environ.get("OS_PROJECT_NAME"),
                        help="tenant (project) name (default: $OS_PROJECT_NAME)")
    parser.add_argument("--user-domain", default=os.environ.get("OS_USER_DOMAIN_NAME", "Default"))
    parser.add_argument("--project-domain",
                        default=os.environ.get("OS_PROJECT_DOMAIN_NAME", "Default"))
    args = parser.parse_args()
    password = os.environ.get(args.password_env)
    missing = [name for name, value in [("--upstream", args.upstream), ("--user", args.user),
                                        (args.password_env, password), ("--tenant", args.tenant)]
               if not value]
    if missing:
        parser.error("missing: " + ", ".join(missing))

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.upstream = Upstream(args.upstream, args.user, password, args.user_domain,
                               args.tenant, args.project_domain)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
