"""Load for bench/live.sh: many open event streams, a steady rate of changes, and how
long each change takes to reach every stream. Standard library only (asyncio, raw
HTTP/1.1), so it runs wherever the server does.

Latency is measured from the moment the change's request is sent (before the server
commits it) to the moment a stream reads the event: an upper bound of commit to
delivery.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import urllib.parse


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid) -> float:
    """User and system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Stream:
    """One event stream. A sampled stream parses every event (for the latency); the
    others only count theirs, so that the client keeps up with the server."""

    def __init__(self, host, port, token, sampled):
        self.host, self.port, self.token = host, port, token
        self.sampled = sampled
        self.ready = asyncio.Event()
        self.ended = False
        self.resets = 0
        self.changes = 0

    async def run(self, on_event):
        if not self.sampled:
            return await self.count()
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(
            (
                f"GET /api/v1/events HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode(errors="replace"))
        chunked = b"chunked" in head.lower()
        buffer = b""
        try:
            while True:
                if chunked:
                    size_line = await reader.readuntil(b"\r\n")
                    size = int(size_line.strip(), 16)
                    if size == 0:
                        break
                    data = await reader.readexactly(size + 2)
                    buffer += data[:-2]
                else:
                    data = await reader.read(65536)
                    if not data:
                        break
                    buffer += data
                while b"\n\n" in buffer:
                    frame, buffer = buffer.split(b"\n\n", 1)
                    event, payload = None, None
                    for line in frame.split(b"\n"):
                        if line.startswith(b"event: "):
                            event = line[7:].decode()
                        elif line.startswith(b"data: "):
                            payload = line[6:]
                    if event == "ready":
                        self.ready.set()
                    elif event == "reset":
                        self.resets += 1
                    elif event == "change" and payload:
                        on_event(json.loads(payload), time.perf_counter())
        finally:
            self.ended = True
            writer.close()

    async def count(self):
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(
            (
                f"GET /api/v1/events HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Authorization: Bearer {self.token}\r\nAccept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(head.decode(errors="replace"))
        tail = b""
        try:
            while True:
                data = await reader.read(1 << 16)
                if not data:
                    break
                data = tail + data
                if not self.ready.is_set() and b"event: ready" in data:
                    self.ready.set()
                self.changes += data.count(b"event: change\n")
                self.resets += data.count(b"event: reset\n")
                # A marker split across two reads is counted once, in the next.
                cut = data.rfind(b"\n")
                tail = data[cut + 1 :] if cut >= 0 else data
                if b"event: change\n" in tail or b"event: reset\n" in tail:
                    tail = b""
        finally:
            self.ended = True
            writer.close()


def dechunk(body: bytes) -> bytes:
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.strip() or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return out


async def request(host, port, method, path, token, body=None):
    """One request on its own connection: (status, JSON answer or None)."""
    reader, writer = await asyncio.open_connection(host, port)
    data = json.dumps(body).encode() if body is not None else b""
    extra = f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n" if body is not None else ""
    writer.write(
        (
            f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            f"{extra}Connection: close\r\n\r\n"
        ).encode()
        + data
    )
    await writer.drain()
    response = await reader.read()
    writer.close()
    head, _, payload = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        payload = dechunk(payload)
    return status, (json.loads(payload) if payload.strip() else None)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--claims", required=True, help="comma-separated claim ids to change")
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--streams", type=int, default=1000)
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--sampled", type=int, default=20, help="streams whose every event is timed")
    a = p.parse_args()
    url = urllib.parse.urlparse(a.base)
    host, port = url.hostname, url.port
    claims = a.claims.split(",")

    sent = {}  # (claim, version) -> time sent
    latencies = []

    def on_event(e, at):
        key = (e.get("claim_id"), e.get("version"))
        t = sent.get(key)
        if t is not None and e.get("entity") == "claim":
            latencies.append(at - t)

    idle_before = rss_kib(a.server_pid)
    streams = [Stream(host, port, a.token, i < a.sampled) for i in range(a.streams)]
    tasks = [asyncio.create_task(s.run(on_event)) for s in streams]
    await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in streams)), 60)
    await asyncio.sleep(2)
    idle_after = rss_kib(a.server_pid)

    # Each change sets a claim's priority over the version it has (If-Match in the
    # body); the version it will have names its event. One change per claim at a time.
    priorities = ["low", "normal", "high", "urgent"]
    interval = 1.0 / a.rate
    changes = int(a.seconds * a.rate)
    failures = 0
    locks = {c: asyncio.Lock() for c in claims}
    current = {}
    for c in claims:
        status, claim = await request(host, port, "GET", f"/api/v1/claims/{c}", a.token)
        if status != 200:
            sys.exit(f"GET /api/v1/claims/{c}: {status}")
        current[c] = claim["version"]

    async def one(i):
        nonlocal failures
        c = claims[i % len(claims)]
        async with locks[c]:
            version = current[c]
            sent[(c, version + 1)] = time.perf_counter()
            status, raw = await request(
                host, port, "PATCH", f"/api/v1/claims/{c}", a.token,
                {"priority": priorities[(i // len(claims) + 1) % 4], "version": version},
            )
            if status == 200:
                current[c] = version + 1
            else:
                failures += 1
                sent.pop((c, version + 1), None)

    pending = []
    server_cpu, client_cpu = cpu_seconds(a.server_pid), cpu_seconds("self")
    started = time.perf_counter()
    for i in range(changes):
        target = started + i * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(one(i)))
    await asyncio.gather(*pending)
    took = time.perf_counter() - started
    await asyncio.sleep(2)
    server_cpu = cpu_seconds(a.server_pid) - server_cpu
    client_cpu = cpu_seconds("self") - client_cpu

    dropped = sum(1 for s in streams if s.ended)
    resets = sum(s.resets for s in streams)
    # Every stream gets every change (the admin receives all); the counted ones also see
    # the sampled ones' changes, so deliveries are counted per stream.
    delivered = sum(s.changes for s in streams if not s.sampled) + len(latencies)
    expected = (changes - failures) * a.streams
    for t in tasks:
        t.cancel()
    lat = sorted(latencies)
    q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000 if lat else float("nan")
    print(json.dumps({
        "streams": a.streams,
        "changes": changes - failures,
        "failed_changes": failures,
        "rate_per_s": round((changes - failures) / took, 1),
        "deliveries": delivered,
        "expected_deliveries": expected,
        "dropped_streams": dropped,
        "resets": resets,
        "p50_ms": round(q(0.50), 1),
        "p99_ms": round(q(0.99), 1),
        "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "rss_idle_before_kib": idle_before,
        "rss_idle_after_kib": idle_after,
        "kib_per_idle_stream": round((idle_after - idle_before) / a.streams, 1),
        # Both share this machine's cores: the CPU each used during the load, in cores.
        "server_cores": round(server_cpu / (took + 2), 2),
        "client_cores": round(client_cpu / (took + 2), 2),
    }))


if __name__ == "__main__":
    asyncio.run(main())
