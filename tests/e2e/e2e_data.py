#!/usr/bin/python3
"""Test data for the end-to-end tests, written to and removed from the local Swift.

  e2e_data.py auth                       print "STORAGE_URL TOKEN" (from `swift auth`)
  e2e_data.py setup CONTAINER DIR        create CONTAINER with every object the cases read;
                                         local copies of the sized objects go to DIR
  e2e_data.py put CONTAINER NAME FILE    upload FILE as NAME
  e2e_data.py cleanup CONTAINER          delete CONTAINER and every object in it

Authentication comes from the OS_* environment, as for the swift command.
"""
import concurrent.futures
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request

# Sizes around page boundaries, 1 MiB + 7, and one object of at least 100 MiB.
SIZES = [0, 1, 4095, 4096, 4097, 1048576 + 7, 100 * 1048576 + 13]
MANY = 10050  # objects in one pseudo-directory: more than one 10,000-entry listing page
BULK_PARALLEL = 8

# Names of every character class that must map byte for byte.
ODD_NAMES = [
    "with space", "per%cent", "hash#tag", "quest?ion", "plus+sign", "amp&ersand",
    "quote'single", 'quote"double', "back\\slash", "tab\there", "-leading-dash",
    "utf8-\u00e9\u00f1-\u65e5\u672c", "semi;colon", "star*", "brackets[1]", "equals=sign",
]
# Names no POSIX path can carry: skipped by swiftfs.
SKIPPED_NAMES = ["skip/a//b", "skip/./dot", "skip/../dotdot", "skip/" + "L" * 300]


def auth():
    # A case that authenticated once passes its token on (tests/e2e/write_lib.sh): a
    # `swift auth` per check costs a Keystone round trip and a second of Python start-up.
    url, token = os.environ.get("SWIFTFS_E2E_STORAGE_URL"), os.environ.get("SWIFTFS_E2E_TOKEN")
    if url and token:
        return url, token
    out = subprocess.run(["swift", "auth"], check=True, capture_output=True, text=True).stdout
    values = {}
    for line in out.splitlines():
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            values[key] = value.strip().strip("'\"")
    return values["OS_STORAGE_URL"], values["OS_AUTH_TOKEN"]


class Swift:
    def __init__(self):
        self.url, self.token = auth()

    def request(self, method, path, data=None, headers=None, query=""):
        url = self.url + "/" + urllib.parse.quote(path, safe="/")
        if query:
            url += "?" + query
        hdrs = {"X-Auth-Token": self.token}
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=300) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def put(self, container, name, data, headers=None):
        status, body = self.request("PUT", container + "/" + name, data, headers)
        if status not in (201, 202):
            raise SystemExit(f"PUT {container}/{name}: {status} {body[:200]!r}")


def setup(container, directory):
    s = Swift()
    status, _ = s.request("PUT", container)
    if status not in (201, 202):
        raise SystemExit(f"PUT container {container}: {status}")
    os.makedirs(directory, exist_ok=True)
    for size in SIZES:
        data = os.urandom(size)
        with open(os.path.join(directory, f"size-{size}"), "wb") as f:
            f.write(data)
        s.put(container, f"sizes/size-{size}", data)

    # The big pseudo-directory, with bulk extract-archive requests. The server creates the
    # objects of one archive one after the other, so several archives go in parallel.
    def extract(part):
        archive = io.BytesIO()
        names = range(part, MANY, BULK_PARALLEL)
        with tarfile.open(fileobj=archive, mode="w") as tar:
            for i in names:
                info = tarfile.TarInfo(f"many/f{i:05d}")
                payload = str(i).encode()
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
        status, body = s.request("PUT", container, archive.getvalue(),
                                 {"Accept": "application/json"}, "extract-archive=tar")
        # The status line is sent before extraction; the outcome is in the JSON body.
        result = json.loads(body or b"{}")
        if status != 200 or result.get("Number Files Created") != len(names):
            return f"bulk extract {part}: {status} {body[:300]!r}"
        return None

    with concurrent.futures.ThreadPoolExecutor(BULK_PARALLEL) as pool:
        errors = [e for e in pool.map(extract, range(BULK_PARALLEL)) if e]
    if errors:
        raise SystemExit("; ".join(errors))

    for name in ODD_NAMES:
        s.put(container, "names/" + name, name.encode())
    for name in SKIPPED_NAMES:
        s.put(container, name, b"skipped")
    s.put(container, "skip/visible", b"visible")

    # Metadata, a directory marker, symlinks, the file/directory clash.
    s.put(container, "meta/object", b"metadata", {"X-Object-Meta-Color": "blue",
                                                   "Content-Type": "text/x-e2e"})
    s.put(container, "marker/", b"", {"Content-Type": "application/directory"})
    s.put(container, "emptydir", b"", {"Content-Type": "application/directory"})
    s.put(container, "links/to-size-1", b"",
          {"X-Symlink-Target": f"{container}/sizes/size-1"})
    s.put(container, "links/dangling", b"",
          {"X-Symlink-Target": f"{container}/no/such/object"})
    s.put(container, "clash", b"hidden object")
    s.put(container, "clash/inside", b"inside")

    # A DLO (3 segments) and an SLO (2 segments).
    dlo = b""
    for i in range(3):
        seg = os.urandom(300_000 + i)
        dlo += seg
        s.put(container, f"segments/dlo/{i:03d}", seg)
    s.put(container, "large/dlo", b"", {"X-Object-Manifest": f"{container}/segments/dlo/"})
    with open(os.path.join(directory, "dlo"), "wb") as f:
        f.write(dlo)
    slo, manifest = b"", []
    for i, size in enumerate([1048576, 123_457]):
        seg = os.urandom(size)
        slo += seg
        s.put(container, f"segments/slo/{i:03d}", seg)
        manifest.append({"path": f"/{container}/segments/slo/{i:03d}",
                         "etag": hashlib.md5(seg).hexdigest(), "size_bytes": size})
    status, body = s.request("PUT", container + "/large/slo", json.dumps(manifest).encode(),
                             query="multipart-manifest=put")
    if status != 201:
        raise SystemExit(f"SLO manifest: {status} {body[:200]!r}")
    with open(os.path.join(directory, "slo"), "wb") as f:
        f.write(slo)


def list_names(s, container):
    """Every object name of the container; None if it does not exist."""
    names, marker = [], ""
    while True:
        status, body = s.request("GET", container,
                                 query="format=json&limit=10000&marker=" +
                                 urllib.parse.quote(marker))
        if status == 404:
            return None
        page = [o["name"] for o in json.loads(body or b"[]") if "name" in o]
        if not page:
            return names
        names += page
        marker = page[-1]


def cleanup(container):
    s = Swift()

    # Bulk delete takes newline-separated, URL-encoded /container/object paths and deletes
    # them one after the other: several requests in parallel go faster. A busy server may
    # fail some deletes, so passes repeat until the listing is empty.
    def delete(paths):
        s.request("POST", "", "\n".join(paths).encode(),
                  {"Content-Type": "text/plain", "Accept": "application/json"}, "bulk-delete")

    for _ in range(5):
        names = list_names(s, container)
        if names is None:
            return
        if not names:
            break
        paths = [urllib.parse.quote(f"/{container}/{n}") for n in names]
        with concurrent.futures.ThreadPoolExecutor(BULK_PARALLEL) as pool:
            list(pool.map(delete, [paths[i::BULK_PARALLEL] for i in range(BULK_PARALLEL)]))
    for _ in range(10):  # the container listing may lag the deletes (409 Conflict)
        status, _ = s.request("DELETE", container)
        if status in (204, 404):
            return
        time.sleep(1)
    raise SystemExit(f"DELETE container {container}: {status}")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "auth":
        print(*auth())
    elif cmd == "setup" and len(sys.argv) == 4:
        setup(sys.argv[2], sys.argv[3])
    elif cmd == "put" and len(sys.argv) == 5:
        with open(sys.argv[4], "rb") as f:
            Swift().put(sys.argv[2], sys.argv[3], f.read())
    elif cmd == "cleanup" and len(sys.argv) == 3:
        cleanup(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
