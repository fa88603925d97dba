#!/usr/bin/python3
"""Swift-side checks of the write tests: what Swift itself holds, never what the mount says.

  write_check.py create CONTAINER          create an empty container
  write_check.py md5 CONTAINER NAME        md5 of the object's bytes as Swift serves them
                                           (an SLO assembled), or "missing"
  write_check.py md5s CONTAINER PREFIX     for each NUL-terminated name on stdin, the md5
                                           of object PREFIX+name (or "missing"), one a line
  write_check.py names CONTAINER [PREFIX]  every object name, one a line
  write_check.py orphans CONTAINER         objects of CONTAINER and of its segment
                                           containers (names starting with CONTAINER
                                           followed by a non-alphanumeric byte) that are
                                           neither a file or directory marker the mount
                                           shows (names given on stdin, one a line) nor a
                                           segment a manifest of CONTAINER references
  write_check.py remove CONTAINER          delete CONTAINER and its segment containers
Authentication comes from the OS_* environment (see e2e_data.py).
"""
import hashlib
import json
import os
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_data import Swift, cleanup, list_names  # noqa: E402


def md5(s, container, name):
    status, body = s.request("GET", container + "/" + name)
    if status == 404:
        return "missing"
    if status != 200:
        raise SystemExit(f"GET {container}/{name}: {status}")
    return hashlib.md5(body).hexdigest()


def segment_containers(s, container):
    status, body = s.request("GET", "", query="format=json&prefix=" +
                             urllib.parse.quote(container))
    if status != 200:
        raise SystemExit(f"account listing: {status}")
    names = [c["name"] for c in json.loads(body or b"[]")]
    return [n for n in names if n != container and not n[len(container)].isalnum()]


def referenced(s, container, names):
    """Paths "/container/object" that manifests among `names` of `container` use."""
    refs = set()
    for name in names:
        status, _ = s.request("HEAD", container + "/" + name)
        if status != 200:
            continue
        status, body = s.request("GET", container + "/" + name, query="multipart-manifest=get")
        if status == 200:
            try:
                doc = json.loads(body)
            except ValueError:
                doc = None
            if isinstance(doc, list):
                for seg in doc:
                    path = seg.get("name") or seg.get("path") or ""
                    refs.add(urllib.parse.unquote(path))
    return refs


def dlo_prefixes(s, container, names):
    prefixes = []
    for name in names:
        url = container + "/" + name
        req = urllib.request.Request(s.url + "/" + urllib.parse.quote(url), method="HEAD",
                                     headers={"X-Auth-Token": s.token})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                manifest = resp.headers.get("X-Object-Manifest")
        except Exception:  # noqa: BLE001: a vanished object references nothing
            manifest = None
        if manifest:
            prefixes.append("/" + urllib.parse.unquote(manifest))
    return prefixes


def orphans(s, container, visible):
    names = list_names(s, container) or []
    refs = referenced(s, container, names)
    prefixes = dlo_prefixes(s, container, names)
    found = []
    candidates = [(container, n) for n in names]
    for other in segment_containers(s, container):
        candidates += [(other, n) for n in (list_names(s, other) or [])]
    for c, n in candidates:
        path = f"/{c}/{n}"
        if c == container and (n in visible or n.rstrip("/") in visible):
            continue
        if path in refs or any(path.startswith(p) for p in prefixes):
            continue
        # A listing may lag a delete: only an object that still exists is left over.
        if s.request("HEAD", f"{c}/{n}")[0] == 404:
            continue
        found.append(path)
    return found


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    s = Swift()
    cmd = args[0]
    if cmd == "create" and len(args) == 2:
        status, _ = s.request("PUT", args[1])
        if status not in (201, 202):
            raise SystemExit(f"PUT container {args[1]}: {status}")
    elif cmd == "md5" and len(args) == 3:
        print(md5(s, args[1], args[2]))
    elif cmd == "md5s" and len(args) == 3:
        for name in sys.stdin.buffer.read().split(b"\0"):
            if name:
                print(md5(s, args[1], args[2] + name.decode()))
    elif cmd == "names" and len(args) in (2, 3):
        prefix = args[2] if len(args) == 3 else ""
        for n in list_names(s, args[1]) or []:
            if n.startswith(prefix):
                print(n)
    elif cmd == "orphans" and len(args) == 2:
        visible = {line.rstrip("\n") for line in sys.stdin if line.strip()}
        for path in orphans(s, args[1], visible):
            print(path)
    elif cmd == "remove" and len(args) == 2:
        for c in segment_containers(s, args[1]) + [args[1]]:
            cleanup(c)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
