#!/usr/bin/python3
"""An HTTP/1.1 reverse proxy that misbehaves on purpose, for the fault-injection suite.

  fault_proxy.py --upstream http://127.0.0.1:8080 [--port 0] [--ready-file F] [--log F]
                 [--lifetime 900] [--seed N] [--config JSON]

Listens on 127.0.0.1 (ephemeral port by default), forwards each request to the upstream on a
new connection and keeps the client's connection alive. Per request it draws one fault from
the configured rates; requests that do not match the filter (methods, object paths, path
regex) or arrive after `limit` faults always pass through.

Control, on the data port and on a separate control port (which stays up during an outage):
  GET  /__faults__   {"config": ..., "counters": ...}
  POST /__faults__   JSON merged into the config; "rates" is replaced as a whole;
                     {"outage": SECONDS} refuses every connection for that long (now);
                     {"reset_counters": true} zeroes the counters.
The ready file (JSON: pid, port, control_port) appears once both ports listen. Each finished
request is one JSON line in the log: t (start), end, method, path, range [first, last] or
null, status, fault, length (body bytes promised), sent (body bytes sent), retry_after.

Fault kinds (names in "rates"):
  503, 500, 401     answered by the proxy (503 with "Retry-After": config retry_after)
  reset             part of the body, then a TCP reset
  short_body        part of the body, then a clean close (fewer bytes than Content-Length)
  short_206         a legal 206 for a shorter slice than asked (Content-Range rewritten)
  ignore_range      the Range header is dropped: 200 with the whole object
  stall             part of the body, then nothing (socket left open)
  no_answer         the request is read and never answered
Held requests (stall, no_answer) are reset when "rates" changes, as a restarted server
would: healing the proxy heals it at once.
  trickle           the whole body, trickle_bytes every trickle_interval seconds
A request that carries a body (an upload: PUT, POST) is faulted on its way up instead:
  reset             part of the request body reaches the upstream, then both connections
                    are reset (the upload is cut: the server discards it)
  short_body        the upstream receives the body shortened, with a Content-Length that
                    matches (a body damaged in transit that HTTP framing cannot see: only
                    an ETag tells); the upstream's answer is relayed
Config "token_lifetime": rewrite Keystone v3 token responses (expires_at = now + N s).
Python 3.11 standard library only; stops by itself after --lifetime seconds.
"""
import argparse
import asyncio
import datetime
import json
import os
import random
import re
import sys
import time
import urllib.parse

from proxy_http import (HOP, parse_range, read_chunked, read_request, read_response_head,
                        reset, send_head, send_simple, wait_closed)

KINDS = ("503", "500", "401", "reset", "short_body", "short_206", "ignore_range", "stall",
         "no_answer", "trickle")
CHUNK = 256 * 1024

DEFAULTS = {
    "rates": {},
    "retry_after": None,
    "methods": ["GET"],
    "objects_only": True,
    "path": None,
    "limit": None,
    "trickle_bytes": 1024,
    "trickle_interval": 0.5,
    "token_lifetime": None,
}


class Closed(Exception):
    """The client went away."""


def new_counters():
    return {"requests": 0, "matched": 0, "faults": {}, "skipped": {}, "by_method": {},
            "connections": 0, "outages": 0, "outage_dropped": 0, "bytes_sent": 0}


class Proxy:
    def __init__(self, args):
        url = urllib.parse.urlsplit(args.upstream)
        self.up_host, self.up_port = url.hostname, url.port or 80
        self.config = dict(DEFAULTS)
        self.counters = new_counters()
        self.rng = random.Random(args.seed)
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.port = args.port
        self.server = None
        self.clients = set()
        self.outage_until = 0.0
        self.outage_task = None
        self.heal = asyncio.Event()  # set (and replaced) when the rates change
        # Last: update() uses the attributes above (a --config with rates replaces heal).
        if args.config:
            self.update(json.loads(args.config))

    # -- configuration and control --------------------------------------------------------
    def update(self, changes):
        for key, value in changes.items():
            if key in ("outage", "reset_counters"):
                continue
            if key not in DEFAULTS:
                raise ValueError(f"unknown setting {key}")
            if key == "rates":
                bad = set(value) - set(KINDS)
                if bad or any(not 0 <= float(r) <= 1 for r in value.values()):
                    raise ValueError(f"bad rates {value}")
                if sum(float(r) for r in value.values()) > 1:
                    raise ValueError("rates add up to more than 1")
            self.config[key] = value
        if "rates" in changes:
            self.heal.set()
            self.heal = asyncio.Event()
        if changes.get("reset_counters"):
            self.counters = new_counters()
        if changes.get("outage"):
            self.start_outage(float(changes["outage"]))

    async def control(self, method, body):
        if method == "POST":
            try:
                self.update(json.loads(body or b"{}"))
            except (ValueError, TypeError, AttributeError) as e:
                return 400, json.dumps({"error": str(e)}).encode()
        state = {"config": self.config, "counters": self.counters,
                 "outage_left": max(0.0, self.outage_until - time.monotonic())}
        return 200, json.dumps(state).encode()

    # -- listening and outages -------------------------------------------------------------
    async def listen(self):
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", self.port,
                                                 reuse_address=True)
        self.port = self.server.sockets[0].getsockname()[1]

    def start_outage(self, seconds):
        self.counters["outages"] += 1
        self.outage_until = time.monotonic() + seconds
        if self.server:
            self.server.close()  # new connections are refused
            self.server = None
        for writer in list(self.clients):  # and the open ones are reset
            self.counters["outage_dropped"] += 1
            reset(writer)
        if self.outage_task:
            self.outage_task.cancel()
        self.outage_task = asyncio.get_running_loop().create_task(self.end_outage(seconds))

    async def end_outage(self, seconds):
        await asyncio.sleep(seconds)
        await self.listen()

    # -- one client connection ------------------------------------------------------------
    async def serve(self, reader, writer, control_only=False):
        if not control_only:  # an outage resets data connections, not the control one
            self.counters["connections"] += 1
            self.clients.add(writer)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                keep = await self.handle(request, reader, writer, control_only)
                if not keep:
                    break
        except (Closed, ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ValueError, OSError):
            pass
        finally:
            self.clients.discard(writer)
            try:
                writer.close()
            except (ConnectionError, OSError, RuntimeError):
                pass

    async def serve_control(self, reader, writer):
        await self.serve(reader, writer, control_only=True)

    def draw(self, method, path, headers):
        """The fault for this request, or None."""
        cfg = self.config
        if cfg["limit"] is not None and sum(self.counters["faults"].values()) >= cfg["limit"]:
            return None
        if method not in cfg["methods"]:
            return None
        plain = urllib.parse.unquote(path.split("?", 1)[0])
        if cfg["objects_only"] and len([p for p in plain.split("/") if p]) < 4:
            return None  # /v1/ACCOUNT/CONTAINER/OBJECT
        if cfg["path"] and not re.search(cfg["path"], plain):
            return None
        self.counters["matched"] += 1
        x, total = self.rng.random(), 0.0
        for kind in sorted(cfg["rates"]):
            total += float(cfg["rates"][kind])
            if x < total:
                if kind in ("short_206", "ignore_range") and "range" not in headers:
                    return self.skip(kind)
                return kind
        return None

    def skip(self, kind):
        self.counters["skipped"][kind] = self.counters["skipped"].get(kind, 0) + 1
        return None

    async def handle(self, request, reader, writer, control_only):
        method, path, version, headers, body = request
        if path.startswith("/__faults__"):
            status, payload = await self.control(method, body)
            await send_simple(writer, status, payload, "application/json")
            return True
        if control_only:
            await send_simple(writer, 404, b"control port\n")
            return True
        self.counters["requests"] += 1
        self.counters["by_method"][method] = self.counters["by_method"].get(method, 0) + 1
        entry = {"t": time.time(), "method": method, "path": path,
                 "range": parse_range(headers.get("range")), "fault": None, "status": None,
                 "length": None, "sent": 0, "retry_after": None}
        keep = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        kind = self.draw(method, path, headers)
        try:
            if kind:
                self.counters["faults"][kind] = self.counters["faults"].get(kind, 0) + 1
                entry["fault"] = kind
            if kind in ("503", "500", "401"):
                extra = {}
                if kind == "503" and self.config["retry_after"] is not None:
                    extra["Retry-After"] = str(self.config["retry_after"])
                    entry["retry_after"] = extra["Retry-After"]
                payload = b'{"error": {"code": 401, "message": "fault proxy"}}' \
                    if kind == "401" else f"fault proxy: {kind}\n".encode()
                await send_simple(writer, int(kind), payload, "application/json", extra)
                entry["status"] = int(kind)
                return keep
            if kind == "no_answer":
                await self.hold(reader, writer)
                return False
            if kind in ("reset", "short_body") and body:
                return await self.fault_upload(request, kind, entry, writer, keep)
            return await self.forward(request, kind, entry, reader, writer, keep)
        finally:
            entry["end"] = time.time()
            if self.log:
                self.log.write(json.dumps(entry) + "\n")

    async def forward(self, request, kind, entry, reader, writer, keep):
        method, path, _, headers, body = request
        try:
            up_r, up_w = await asyncio.open_connection(self.up_host, self.up_port)
        except OSError:
            await send_simple(writer, 502, b"fault proxy: upstream unreachable\n")
            entry["status"] = 502
            return keep
        try:
            lines = [f"{method} {path} HTTP/1.1"]
            for name, value in headers.items():
                if name in HOP or (kind == "ignore_range" and name in ("range", "if-range")):
                    continue
                lines.append(f"{name}: {value}")
            lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
            up_w.write("\r\n".join(lines).encode("latin-1") + body)
            await up_w.drain()
            status, reason, rheaders = await read_response_head(up_r)
            entry["status"] = status
            if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
                await send_head(writer, status, reason, rheaders, None, keep)
                return keep
            length, buffered = None, None
            if "chunked" in rheaders.get("transfer-encoding", "").lower():
                buffered = await read_chunked(up_r)
            elif "content-length" in rheaders:
                length = int(rheaders["content-length"])
            else:
                buffered = await up_r.read()
            if kind is None and self.config["token_lifetime"] and method == "POST" \
                    and status in (200, 201):
                if buffered is None:
                    buffered = await up_r.readexactly(length)
                buffered = rewrite_token(buffered, float(self.config["token_lifetime"]))
            if buffered is not None:
                length = len(buffered)
            return await self.relay(kind, entry, status, reason, rheaders, length, buffered,
                                    up_r, reader, writer, keep)
        finally:
            up_w.close()

    async def fault_upload(self, request, kind, entry, writer, keep):
        """An upload cut (reset) or shortened (short_body) on its way to the upstream."""
        method, path, _, headers, body = request
        cut = self.rng.randint(0, len(body) - 1)
        entry["length"], entry["sent"] = len(body), cut
        if kind == "short_body":
            body = body[:cut]
            return await self.forward((method, path, "HTTP/1.1", headers, body), None, entry,
                                      None, writer, keep)
        try:
            up_r, up_w = await asyncio.open_connection(self.up_host, self.up_port)
        except OSError:
            reset(writer)
            return False
        lines = [f"{method} {path} HTTP/1.1"]
        lines += [f"{n}: {v}" for n, v in headers.items() if n not in HOP]
        lines += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        up_w.write("\r\n".join(lines).encode("latin-1") + body[:cut])
        await up_w.drain()
        reset(up_w)
        reset(writer)
        return False

    async def relay(self, kind, entry, status, reason, rheaders, length, buffered, up_r,
                    reader, writer, keep):
        rng, cfg = self.rng, self.config
        cut = None
        if kind in ("reset", "short_body", "stall"):
            if length >= 2:
                cut = rng.randint(1, length - 1)
            else:
                self.undo(entry, kind)
                kind = None
        elif kind == "short_206":
            m = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)",
                             rheaders.get("content-range", "").strip())
            if status == 206 and m and length >= 2:
                first = int(m.group(1))
                length = rng.randint(1, length - 1)
                rheaders["content-range"] = f"bytes {first}-{first + length - 1}/{m.group(3)}"
            else:
                self.undo(entry, kind)
                kind = None
        entry["length"] = length
        await send_head(writer, status, reason, rheaders, length, keep)
        limit = cut if cut is not None else length
        sent = 0
        while sent < limit:
            want = min(CHUNK, limit - sent)
            if kind == "trickle":
                want = min(want, int(cfg["trickle_bytes"]))
            if buffered is not None:
                data = buffered[sent:sent + want]
            else:
                data = await up_r.read(want)
                if not data:
                    break  # upstream cut short: so do we
            if writer.transport.is_closing():
                raise Closed()
            writer.write(data)
            await writer.drain()
            sent += len(data)
            entry["sent"] = sent
            self.counters["bytes_sent"] += len(data)
            if kind == "trickle":
                await asyncio.sleep(float(cfg["trickle_interval"]))
        if kind == "reset":
            reset(writer)
            return False
        if kind == "stall":
            await self.hold(reader, writer)
            return False
        if kind == "short_body" or sent < length:
            return False
        return keep

    async def hold(self, reader, writer):
        """Answers nothing more until the client closes or the rates change (then: reset)."""
        eof = asyncio.ensure_future(wait_closed(reader))
        healed = asyncio.ensure_future(self.heal.wait())
        done, pending = await asyncio.wait({eof, healed}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        if healed in done:
            reset(writer)

    def undo(self, entry, kind):
        """A drawn fault that cannot apply to this answer: counted as skipped."""
        self.counters["faults"][kind] -= 1
        self.skip(kind)
        entry["fault"] = None


def rewrite_token(body, lifetime):
    """A Keystone v3 token answer with a shorter expires_at (the token itself is unchanged)."""
    try:
        doc = json.loads(body)
        token = doc["token"]
    except (ValueError, KeyError, TypeError):
        return body
    now = datetime.datetime.now(datetime.timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ"
    token["issued_at"] = now.strftime(fmt)
    token["expires_at"] = (now + datetime.timedelta(seconds=lifetime)).strftime(fmt)
    return json.dumps(doc).encode()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--control-port", type=int, default=0)
    parser.add_argument("--ready-file")
    parser.add_argument("--log")
    parser.add_argument("--lifetime", type=float, default=900)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--config")
    args = parser.parse_args()
    proxy = Proxy(args)
    await proxy.listen()
    control = await asyncio.start_server(proxy.serve_control, "127.0.0.1", args.control_port)
    ready = {"pid": os.getpid(), "port": proxy.port,
             "control_port": control.sockets[0].getsockname()[1]}
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            json.dump(ready, f)
        os.replace(args.ready_file + ".tmp", args.ready_file)
    else:
        print(json.dumps(ready), flush=True)
    await asyncio.sleep(args.lifetime)  # bounded: stops by itself
    print(f"fault_proxy: lifetime of {args.lifetime:g} s reached, stopping", file=sys.stderr)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
