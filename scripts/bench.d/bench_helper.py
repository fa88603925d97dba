#!/usr/bin/python3
"""Small helpers for scripts/bench: Keystone auth, tar generation for bulk uploads, timed
reads through a mount, proxy access-log accounting and the results table.

Only the Python standard library; every subcommand prints one line (or a table) on stdout.
Secrets are never printed except by `auth`, whose output the bench script evals.
"""
import json
import math
import os
import random
import shlex
import statistics
import sys
import tarfile
import io
import time
import urllib.parse
import urllib.request


def cmd_auth(_args):
    """Keystone v3 password auth from OS_* variables: prints shell assignments of the token
    and the object-store URL of OS_REGION_NAME (public interface)."""
    env = os.environ
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": env["OS_USERNAME"], "password": env["OS_PASSWORD"],
            "domain": {"name": env.get("OS_USER_DOMAIN_NAME", "Default")}}}},
        "scope": {"project": {"name": env["OS_PROJECT_NAME"],
                              "domain": {"name": env.get("OS_PROJECT_DOMAIN_NAME", "Default")}}}}}
    url = env["OS_AUTH_URL"].rstrip("/") + "/auth/tokens"
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        token = resp.headers["X-Subject-Token"]
        catalog = json.load(resp)["token"]["catalog"]
    region = env.get("OS_REGION_NAME", "RegionOne")
    interface = env.get("OS_INTERFACE", "public")
    for service in catalog:
        if service["type"] != "object-store":
            continue
        for ep in service["endpoints"]:
            if ep["interface"] == interface and ep.get("region", ep.get("region_id")) == region:
                print(f"BENCH_TOKEN={shlex.quote(token)} BENCH_URL={shlex.quote(ep['url'])}")
                return 0
    print("no object-store endpoint in the catalog", file=sys.stderr)
    return 1


def cmd_tar(args):
    """tar PREFIX FIRST COUNT SIZE OUT: a tar of files PREFIX%06d (FIRST..FIRST+COUNT-1) of
    SIZE pseudo-random bytes each, for Swift's extract-archive. SIZE may be a range MIN-MAX:
    each file's size is then drawn log-uniformly from it (as many 4 KiB files as 64 KiB
    ones), the same sizes in every run."""
    prefix, first, count, out = args[0], int(args[1]), int(args[2]), args[4]
    low, _, high = args[3].partition("-")
    low, high = int(low), int(high or low)
    rng = random.Random(first)
    with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as tar:
        for i in range(first, first + count):
            size = low if low == high else int(math.exp(rng.uniform(math.log(low),
                                                                     math.log(high))))
            info = tarfile.TarInfo(f"{prefix}{i:06d}")
            info.size = size
            info.mtime = 1700000000
            data = rng.randbytes(size) if size else b""
            tar.addfile(info, io.BytesIO(data))
    return 0


def cmd_ttfb(args):
    """ttfb FILE: seconds to open FILE and read its first byte."""
    start = time.perf_counter()
    fd = os.open(args[0], os.O_RDONLY)
    data = os.read(fd, 1)
    elapsed = time.perf_counter() - start
    os.close(fd)
    if len(data) != 1:
        print("short read", file=sys.stderr)
        return 1
    print(f"{elapsed:.6f}")
    return 0


def cmd_random(args):
    """random FILE COUNT SEED: COUNT preads of 4 KiB at 4 KiB-aligned random offsets;
    prints reads/s and bytes read."""
    path, count, seed = args[0], int(args[1]), int(args[2])
    size = os.stat(path).st_size
    rng = random.Random(seed)
    offsets = [rng.randrange(size // 4096) * 4096 for _ in range(count)]
    fd = os.open(path, os.O_RDONLY)
    total = 0
    start = time.perf_counter()
    for off in offsets:
        total += len(os.pread(fd, 4096, off))
    elapsed = time.perf_counter() - start
    os.close(fd)
    print(f"{count / elapsed:.1f} {total}")
    return 0


def cmd_random_urls(args):
    """random-urls URL SIZE COUNT SEED HEADER_FILE: a curl config of COUNT ranged GETs of
    4 KiB at the same offsets `random` reads (one connection, reused). Options end at each
    "next", so every request names the header file."""
    url, size, count, seed = args[0], int(args[1]), int(args[2]), int(args[3])
    header = args[4]
    rng = random.Random(seed)
    for i in range(count):
        off = rng.randrange(size // 4096) * 4096
        sep = "next\n" if i else ""
        print(f'{sep}url = "{url}"\nrange = {off}-{off + 4095}\noutput = /dev/null\n'
              f'header = "@{header}"')
    return 0


def cmd_log_count(args):
    """log-count LOG START_LINE CONTAINER [AGENT]: requests clients sent to CONTAINER after
    line START_LINE of the proxy access log (internal subrequests excluded), and bytes sent;
    with AGENT, only requests whose User-Agent starts with it (the tool under test: a
    lazily unmounted daemon or a concurrent upload must not count).
    Prints: requests gets heads lists bytes_sent."""
    path, start, container = args[0], int(args[1]), args[2]
    agent = args[3] if len(args) > 3 else ""
    needle = "/" + container
    requests = gets = heads = lists = 0
    sent = 0
    with open(path, errors="replace") as f:
        for n, line in enumerate(f, 1):
            if n <= start:
                continue
            fields = line.split()
            if len(fields) < 13 or fields[1] == "-":  # client ip "-": a subrequest
                continue
            method, path_q = fields[4], fields[5]
            # The proxy logs the query string quoted ("%3F"); a "?" inside an object name
            # is double-quoted ("%253F"), so this split never cuts a name.
            p = path_q.split("?", 1)[0].split("%3F", 1)[0]
            parts = p.split("/")  # ['', 'v1', 'AUTH_x', 'container', 'obj...']
            if len(parts) < 4 or "/" + parts[3] != needle:
                continue
            if agent and not fields[9].startswith(agent):
                continue
            requests += 1
            if method == "GET" and len(parts) > 4 and parts[4]:
                gets += 1
            elif method == "GET":
                lists += 1
            elif method == "HEAD":
                heads += 1
            if fields[12].isdigit():
                sent += int(fields[12])
    print(requests, gets, heads, lists, sent)
    return 0


def cmd_log_heads(args):
    """log-heads LOG START_LINE PREFIX AGENT: the HEADs of objects under PREFIX (a
    container/pseudo-directory path part, e.g. "swiftfs-bench/mtime12k/") that AGENT sent
    after line START_LINE, seen from the proxy: how many, their HEADs per second over the
    span from the first one's start to the last one's end, how many were in flight on
    average (their summed durations over that span) and their mean duration in ms.
    Prints: heads per_second in_flight latency_ms (zeros when there was none)."""
    path, start, prefix, agent = args[0], int(args[1]), "/" + args[2], args[3]
    n, busy, first, last = 0, 0.0, None, None
    with open(path, errors="replace") as f:
        for number, line in enumerate(f, 1):
            if number <= start:
                continue
            fields = line.split()
            if len(fields) < 20 or fields[1] == "-" or fields[4] != "HEAD":
                continue
            if prefix not in fields[5] or not fields[9].startswith(agent):
                continue
            try:  # the request's start and end times, the line's last fields but one
                began, ended = float(fields[-3]), float(fields[-2])
            except ValueError:
                continue
            n += 1
            busy += ended - began
            first = began if first is None else min(first, began)
            last = ended if last is None else max(last, ended)
    span = (last - first) if n else 0.0
    if span <= 0:
        print(0, 0, 0, 0)
    else:
        print(n, "%.0f" % (n / span), "%.1f" % (busy / span), "%.1f" % (1000 * busy / n))
    return 0


def cmd_missing(args):
    """missing CONTAINER_URL PREFIX FIRST COUNT: names PREFIX%06d (FIRST..FIRST+COUNT-1)
    absent from the container listing (token from $BENCH_TOKEN), one per line."""
    url, prefix, first, count = args[0], args[1], int(args[2]), int(args[3])
    wanted = {f"{prefix}{i:06d}" for i in range(first, first + count)}
    marker = f"{prefix}{first - 1:06d}" if first > 0 else ""
    last = f"{prefix}{first + count - 1:06d}"
    found = set()
    while True:
        query = urllib.parse.urlencode({"prefix": prefix, "marker": marker,
                                        "end_marker": last + "\x00", "limit": 10000})
        req = urllib.request.Request(f"{url}?{query}",
                                     headers={"X-Auth-Token": os.environ["BENCH_TOKEN"]})
        with urllib.request.urlopen(req, timeout=60) as resp:
            names = resp.read().decode().split("\n") if resp.status == 200 else []
        names = [n for n in names if n]
        found.update(names)
        if len(names) < 10000:
            break
        marker = names[-1]
    for name in sorted(wanted - found):
        print(name)
    return 0


def cmd_median(args):
    """median V1 V2 ...: the median of the numbers."""
    values = [float(v) for v in args if v not in ("", "-")]
    print(f"{statistics.median(values):.6g}" if values else "-")
    return 0


def main():
    commands = {"auth": cmd_auth, "tar": cmd_tar, "ttfb": cmd_ttfb, "random": cmd_random,
                "random-urls": cmd_random_urls, "log-count": cmd_log_count,
                "log-heads": cmd_log_heads, "missing": cmd_missing,
                "median": cmd_median}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: bench_helper.py " + "|".join(commands) + " ARGS", file=sys.stderr)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
