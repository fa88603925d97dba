"""HTTP/1.1 message plumbing of fault_proxy.py (asyncio streams, standard library only)."""
import asyncio
import re
import socket
import struct

HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
       "upgrade", "content-length"}
MAX_HEAD = 64 * 1024


async def read_head(reader):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial.strip():
            return None
        raise
    if len(head) > MAX_HEAD:
        raise ValueError("head too large")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


async def read_request(reader):
    got = await read_head(reader)
    if got is None:
        return None
    first, headers = got
    method, path, version = first.split(" ", 2)
    body = b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = await read_chunked(reader)
    elif headers.get("content-length"):
        body = await reader.readexactly(int(headers["content-length"]))
    return method, path, version, headers, body


async def read_response_head(reader):
    got = await read_head(reader)
    if got is None:
        raise ConnectionError("upstream closed")
    first, headers = got
    parts = first.split(" ", 2)
    return int(parts[1]), parts[2] if len(parts) > 2 else "", headers


async def read_chunked(reader):
    body = b""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return body
        body += await reader.readexactly(size)
        await reader.readexactly(2)


async def send_head(writer, status, reason, headers, length, keep):
    lines = [f"HTTP/1.1 {status} {reason}"]
    lines += [f"{name}: {value}" for name, value in headers.items() if name not in HOP]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    elif "content-length" in headers:
        lines.append(f"Content-Length: {headers['content-length']}")  # HEAD
    lines += ["Connection: " + ("keep-alive" if keep else "close"), "", ""]
    writer.write("\r\n".join(lines).encode("latin-1"))
    await writer.drain()


async def send_simple(writer, status, payload, ctype="text/plain", extra=None):
    reasons = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
               500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    headers = {"content-type": ctype}
    headers.update({k.lower(): v for k, v in (extra or {}).items()})
    await send_head(writer, status, reasons.get(status, "Fault"), headers, len(payload), True)
    writer.write(payload)
    await writer.drain()


async def wait_closed(reader):
    """Holds the connection open, answering nothing, until the client closes it."""
    while await reader.read(65536):
        pass


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    writer.transport.abort()


def parse_range(value):
    m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", value or "")
    if not m:
        return None
    return [int(m.group(1)) if m.group(1) else None, int(m.group(2)) if m.group(2) else None]
