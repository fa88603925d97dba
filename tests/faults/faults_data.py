#!/usr/bin/python3
"""Known data of the fault-injection suite, in its own container of the local Swift.

  faults_data.py setup CONTAINER MANIFEST   upload what is missing or wrong, then write
                                            MANIFEST: one "MD5  PATH" line per object
                                            (the md5sum format, paths relative to the mount)

Every byte comes from a seeded generator, so the expected md5s are known without local
copies and the container can be reused from one run to the next: objects already present
with the right ETag and size are not uploaded again. Authentication as for tests/e2e
(e2e_data.py's Swift client, from the OS_* environment).
"""
import concurrent.futures
import hashlib
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_data import Swift  # noqa: E402  (reused, not copied)

MIB = 1048576
BIG = 200 * MIB  # only the outage case reads it
SMALL_FILES = 300
PARALLEL = 8


def data(name, size):
    """The bytes of NAME: seeded by the name, so the same on every run and machine."""
    return random.Random("swiftfs-faults:" + name).randbytes(size)


def plain_objects():
    """(name, size) of every ordinary object."""
    objs = [("big/200MiB", BIG), ("sizes/128KiB", 128 * 1024), ("sizes/1MiB+7", MIB + 7)]
    objs += [(f"segments/slo/{i:03d}", size) for i, size in enumerate([MIB, 123_457])]
    objs += [(f"segments/dlo/{i:03d}", 300_000 + i) for i in range(3)]
    rng = random.Random("swiftfs-faults:small")
    objs += [(f"small/f{i:03d}", rng.randint(1, 8192)) for i in range(SMALL_FILES)]
    return objs


def setup(container, manifest_path):
    s = Swift()
    status, _ = s.request("PUT", container)
    if status not in (201, 202):
        raise SystemExit(f"PUT container {container}: {status}")
    present = {}
    status, body = s.request("GET", container, query="format=json&limit=10000")
    if status == 200:
        present = {o["name"]: (o["hash"], o["bytes"]) for o in json.loads(body or b"[]")}

    lines, uploads = [], 0

    def ensure(item):
        name, size = item
        payload = data(name, size)
        md5 = hashlib.md5(payload).hexdigest()
        if present.get(name) != (md5, size):
            s.put(container, name, payload)
            return name, md5, 1
        return name, md5, 0

    md5s = {}
    # The big object alone (200 MiB in memory once), the rest in parallel.
    objs = plain_objects()
    name, md5, up = ensure(objs[0])
    md5s[name], uploads = md5, uploads + up
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        for name, md5, up in pool.map(ensure, objs[1:]):
            md5s[name], uploads = md5, uploads + up

    sizes = dict(objs)
    slo_parts = [f"segments/slo/{i:03d}" for i in range(2)]
    dlo_parts = [f"segments/dlo/{i:03d}" for i in range(3)]
    manifest = [{"path": f"/{container}/{p}", "etag": md5s[p], "size_bytes": sizes[p]}
                for p in slo_parts]
    status, _ = s.request("HEAD", container + "/large/slo")
    if status != 200 or uploads:
        status, body = s.request("PUT", container + "/large/slo",
                                 json.dumps(manifest).encode(), query="multipart-manifest=put")
        if status != 201:
            raise SystemExit(f"SLO manifest: {status} {body[:200]!r}")
        uploads += 1
    status, _ = s.request("HEAD", container + "/large/dlo")
    if status != 200 or uploads:
        s.put(container, "large/dlo", b"",
              {"X-Object-Manifest": f"{container}/segments/dlo/"})
        uploads += 1

    def whole(parts):
        return hashlib.md5(b"".join(data(p, sizes[p]) for p in parts)).hexdigest()

    for name, _ in objs:
        if not name.startswith("segments/"):
            lines.append(f"{md5s[name]}  {name}")
    lines.append(f"{whole(slo_parts)}  large/slo")
    lines.append(f"{whole(dlo_parts)}  large/dlo")
    with open(manifest_path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(manifest_path + ".tmp", manifest_path)
    print(f"{container}: {len(lines)} objects, {uploads} uploaded")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
