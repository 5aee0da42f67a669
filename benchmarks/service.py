"""Service benchmark: `tonecheck serve` through HTTP, loaded from another process, on loopback.

What it measures (each part can be run alone)
  --latency      latency of POST /v1/check at a fixed rate (default 200 requests/s, 60 s) with
                 typical replies (corpora/labelled.jsonl): p50, p90, p99, max, errors.
  --max-rate     the highest sustained rate with p99 <= 50 ms: fixed rates stepped up (20 s
                 each) until p99 passes 50 ms or requests fail; and, where `wrk` is installed,
                 its closed-loop throughput for reference.
  --bad-input    each bad input answered cleanly: oversize body, invalid JSON, wrong types,
                 invalid UTF-8, empty text, 1 MB text, 10,000 connections opened at once and
                 dropped; then a normal request still answers.
  --soak MIN     a soak at 100 requests/s of replies full of new words (every other word a fresh
                 random token): errors, and the RSS of every worker (and in total) sampled before
                 the load and every 30 s; growth from before the load to the end (and from the
                 first minute on, once the workers have their working set).
  Default: --latency --max-rate --bad-input (about 4 minutes); add --soak 10 for the soak.

The load generator is an asyncio HTTP/1.1 client in a separate process (this script; the server
is a subprocess), open loop: requests are scheduled at the rate and each latency is measured from
its scheduled time, so a stalled server is not hidden by a waiting client. Only 127.0.0.1.

    python benchmarks/service.py                       # 2 workers, the default parts
    python benchmarks/service.py --soak 10 --json soak.json
    python benchmarks/service.py --latency --rate 200 --seconds 60 --workers 2

Exit codes: 0 done, 1 a target missed, 2 set-up error (the serve extra missing, server failed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


# -- the server ----------------------------------------------------------------------------------


class Server:
    def __init__(self, workers: int, extra: tuple[str, ...] = ()) -> None:
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        self.folder = Path(tempfile.mkdtemp(prefix="tonecheck-bench-"))
        self.log = open(self.folder / "server.log", "wb")
        command = [
            sys.executable,
            "-m",
            "tonecheck",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
            *extra,
        ]
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        self.process = subprocess.Popen(
            command, cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, env=env
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited: {(self.folder / 'server.log').read_text()}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # every worker ready: wait until each has answered /healthz
        seen: set[int] = set()
        while len(seen) < workers and time.monotonic() < deadline:
            status, body = http_get(self.port, "/healthz")
            if status == 200:
                seen.add(json.loads(body)["worker"])
            if len(seen) < workers:
                time.sleep(0.05)

    def workers(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=,comm=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split("\n")
        pids = []
        for line in out:
            parts = line.split()
            if parts and "resource_tracker" not in line:
                pids.append(int(parts[0]))
        return [p for p in pids if _is_worker(p)]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _is_worker(pid: int) -> bool:
    try:
        return "resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used (from /proc/PID/stat)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def measured(server: Server, run: Any) -> dict[str, Any]:
    """Run a load and add what it cost the workers: CPU per request (which, unlike latency, does
    not depend on what else the machine is doing) and the machine's load average around it."""
    pids = server.workers()
    before, load_before = cpu_seconds(pids), load_average()
    result = run()
    result["server_cpu_ms_per_request"] = round((cpu_seconds(pids) - before) * 1000 / max(1, result["requests"]), 3)
    result["load_average_before_after"] = [load_before, load_average()]
    return result


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def http_get(port: int, path: str) -> tuple[int, bytes]:
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# -- the load ------------------------------------------------------------------------------------


def typical_replies() -> list[str]:
    return [json.loads(line)["text"] for line in (ROOT / "corpora" / "labelled.jsonl").open(encoding="utf-8")]


def new_words(texts: list[str], seed: int = 7) -> Any:
    rng = random.Random(seed)

    def mutate(text: str) -> str:
        return " ".join(
            word if i % 2 else "".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 11)))
            for i, word in enumerate(text.split(" "))
        )

    index = 0
    while True:
        yield mutate(texts[index % len(texts)])
        index += 1


def request_bytes(port: int, text: str) -> bytes:
    body = json.dumps({"text": text, "mode": "draft"}).encode()
    return (
        f"POST /v1/check HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.closing = False

    async def roundtrip(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        self.closing = b"connection: close" in head.lower()  # a worker about to restart: reconnect
        return status


async def fixed_rate(port: int, rate: float, seconds: float, texts: Any, connections: int = 64) -> dict[str, Any]:
    """Open loop: request i is due at start + i / rate; its latency counts from then."""
    pool: asyncio.Queue[Connection | None] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(None)  # opened on first use
    latencies: list[float] = []
    errors: dict[str, int] = {}
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    tasks = []

    async def one(due: float, request: bytes) -> None:
        conn = await pool.get()
        try:
            if conn is None:
                conn = Connection(*await asyncio.open_connection(HOST, port))
            status = await conn.roundtrip(request)
            latencies.append(time.perf_counter() - due)
            if conn.closing:
                conn.writer.close()
                conn = None
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1
        except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
            if conn is not None:
                conn.writer.close()
            conn = None
        finally:
            pool.put_nowait(conn)

    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due, request_bytes(port, next(texts)))))
    await asyncio.gather(*tasks)
    return summary(latencies, errors, rate, time.perf_counter() - start)


def summary(latencies: list[float], errors: dict[str, int], rate: float, elapsed: float) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(len(ms) * p))], 2) if ms else float("nan")

    return {
        "rate": rate,
        "requests": len(ms) + sum(errors.values()),
        "ok": len(ms),
        "errors": errors,
        "achieved_rate": round(len(ms) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(ms[-1], 2) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
    }


# -- parts ---------------------------------------------------------------------------------------


def part_latency(server: Server, rate: float, seconds: float) -> dict[str, Any]:
    texts = typical_replies()
    cycle = iter(texts * (int(rate * seconds) // len(texts) + 2))
    asyncio.run(fixed_rate(server.port, rate, 5, iter(texts * 10)))  # warm-up, not counted
    result = measured(server, lambda: asyncio.run(fixed_rate(server.port, rate, seconds, cycle)))
    result["target"] = "p50 <= 10 ms and p99 <= 50 ms"
    result["met"] = result["p50_ms"] <= 10 and result["p99_ms"] <= 50 and not result["errors"]
    return result


def part_max_rate(server: Server, seconds: float, start: int, step: int) -> dict[str, Any]:
    texts = typical_replies()
    steps = []
    rate = start
    best = None
    while rate <= 5000:
        result = measured(server, lambda: asyncio.run(fixed_rate(server.port, rate, seconds, iter(texts * 200))))
        steps.append(result)
        print(
            f"  {rate:>5} req/s: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
            f"achieved {result['achieved_rate']}/s, errors {result['errors']}, "
            f"server CPU {result['server_cpu_ms_per_request']} ms/request, "
            f"load average {result['load_average_before_after']}",
            flush=True,
        )
        if result["p99_ms"] > 50 or result["errors"] or result["achieved_rate"] < rate * 0.95:
            break
        best = rate
        rate += step
    out: dict[str, Any] = {"highest_rate_with_p99_le_50ms": best, "steps": steps}
    if shutil.which("wrk"):
        out["wrk"] = run_wrk(server.port, texts)
    return out


def run_wrk(port: int, texts: list[str], seconds: int = 20, connections: int = 8) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="tonecheck-wrk-"))
    bodies = [json.dumps({"text": t}) for t in texts[:200]]
    lua = folder / "post.lua"
    lua.write_text(
        "local bodies = {" + ",".join(json.dumps(b) for b in bodies) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #bodies + 1\n"
        "  return wrk.format('POST', '/v1/check', {['Content-Type'] = 'application/json'}, bodies[i])\nend\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(lua), f"http://{HOST}:{port}/"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    shutil.rmtree(folder, ignore_errors=True)
    lines = result.stdout.splitlines()
    keep = [
        line.strip()
        for line in lines
        if any(k in line for k in ("Requests/sec", "50%", "99%", "Non-2xx", "Socket errors", "requests in"))
    ]
    return {"command": f"wrk -t2 -c{connections} -d{seconds}s --latency -s post.lua", "output": keep}


def part_bad_input(server: Server) -> dict[str, Any]:
    port = server.port
    results: dict[str, Any] = {}

    def raw(body: bytes, content_type: str = "application/json") -> tuple[int, Any]:
        with socket.create_connection((HOST, port), timeout=60) as s:
            s.sendall(
                f"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body
            )
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except ConnectionResetError:
                pass
        head, _, payload = data.partition(b"\r\n\r\n")
        status = int(head.split()[1]) if head else 0
        try:
            return status, json.loads(payload)
        except json.JSONDecodeError:
            return status, payload[:200].decode("latin-1")

    cases = {
        "oversize body (2 MB)": json.dumps({"text": "word " * 400_000}).encode(),
        "invalid JSON": b'{"text": "Hi", ',
        "wrong types": b'{"text": 42, "context": []}',
        "invalid UTF-8": b'{"text": "caf\xe9 \xff"}',
        "empty text": b'{"text": ""}',
        "1 MB text": json.dumps({"text": "x" * 1_000_000}).encode(),
        "text over the text limit (150,000 chars)": json.dumps({"text": "Thanks. " * 18_750}).encode(),
    }
    for name, body in cases.items():
        started = time.perf_counter()
        status, answer = raw(body)
        results[name] = {
            "status": status,
            "answer": answer
            if status == 200 and name == "empty text"
            else (answer.get("error"), answer.get("field"))
            if isinstance(answer, dict)
            else answer,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        if isinstance(answer, dict) and status == 200:
            results[name]["answer"] = {"verdict": answer["verdict"], "findings": len(answer["findings"])}
    results["10,000 connections opened and dropped"] = asyncio.run(open_and_drop(port, 10_000))
    status, body = raw(json.dumps({"text": "As I said, you have to restart it."}).encode())
    results["afterwards: a normal check"] = {"status": status, "verdict": body.get("verdict")}
    results["server still running"] = server.process.poll() is None
    clean = (
        all(isinstance(v, dict) and v.get("status") in (200, 400, 413, 422) for k, v in results.items() if k in cases)
        and status == 200
        and results["server still running"]
    )
    results["met"] = clean
    return results


async def open_and_drop(port: int, count: int) -> dict[str, Any]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 1024)), hard))
    opened: list[asyncio.StreamWriter] = []
    failed: dict[str, int] = {}
    started = time.perf_counter()

    async def open_one(i: int) -> None:
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 30)
            if i % 4 == 1:  # some send half a request before they go
                writer.write(b'POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"text": "')
            opened.append(writer)
        except (TimeoutError, OSError) as exc:
            failed[type(exc).__name__] = failed.get(type(exc).__name__, 0) + 1

    for batch in range(0, count, 1000):
        await asyncio.gather(*(open_one(i) for i in range(batch, min(count, batch + 1000))))
    held = len(opened)
    for writer in opened:
        writer.transport.abort()  # dropped: a reset, not a polite close
    return {
        "opened": held,
        "failed_to_open": failed,
        "seconds": round(time.perf_counter() - started, 2),
        "status": 200 if held == count else 0,
    }


def part_soak(server: Server, minutes: float, rate: float) -> dict[str, Any]:
    texts = new_words(typical_replies())
    samples: list[dict[str, Any]] = []
    errors: dict[str, int] = {}
    latencies: list[float] = []
    total_seconds = minutes * 60
    window = 30.0
    elapsed = 0.0
    print(f"  soak: {minutes} min at {rate}/s", flush=True)
    workers0 = {pid: round(rss_mb(pid), 1) for pid in server.workers()}
    samples.append({"t_s": 0, "rss_mb": workers0, "total_mb": round(sum(workers0.values()), 1)})
    print(f"      0 s: RSS {workers0} (warmed up, no load yet)", flush=True)
    while elapsed < total_seconds:
        chunk = min(window, total_seconds - elapsed)
        result = asyncio.run(fixed_rate(server.port, rate, chunk, texts))
        elapsed += chunk
        for kind, n in result["errors"].items():
            errors[kind] = errors.get(kind, 0) + n
        latencies.append(result["p99_ms"])
        workers = {pid: round(rss_mb(pid), 1) for pid in server.workers()}
        samples.append(
            {
                "t_s": round(elapsed),
                "rss_mb": workers,
                "total_mb": round(sum(workers.values()), 1),
                "p50_ms": result["p50_ms"],
                "p99_ms": result["p99_ms"],
                "errors": result["errors"],
            }
        )
        print(
            f"  {elapsed:>5.0f} s: RSS {workers} total {samples[-1]['total_mb']} MB, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms, errors {result['errors']}",
            flush=True,
        )
    start, first, last = samples[0], samples[min(2, len(samples) - 1)], samples[-1]
    growth_total = round(last["total_mb"] - start["total_mb"], 1)
    growth_after_first_minute = round(last["total_mb"] - first["total_mb"], 1)
    per_worker = {pid: round(last["rss_mb"].get(pid, 0) - start["rss_mb"].get(pid, 0), 1) for pid in start["rss_mb"]}
    _status, metrics = http_get(server.port, "/metrics")
    recycles = [line for line in metrics.decode().splitlines() if line.startswith("tonecheck_worker_recycles_total")]
    return {
        "minutes": minutes,
        "rate": rate,
        "errors": errors,
        "samples": samples,
        "rss_growth_total_mb": growth_total,
        "rss_growth_total_mb_after_first_minute": growth_after_first_minute,
        "rss_growth_per_worker_mb": per_worker,
        "worker_recycles": recycles,
        "met": not errors and growth_total <= 50,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", action="store_true")
    parser.add_argument("--max-rate", action="store_true")
    parser.add_argument("--bad-input", action="store_true")
    parser.add_argument("--soak", type=float, default=0, metavar="MINUTES")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--start-rate", type=int, default=200)
    parser.add_argument("--step", type=int, default=100)
    parser.add_argument("--soak-rate", type=float, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if not (args.latency or args.max_rate or args.bad_input or args.soak):
        args.latency = args.max_rate = args.bad_input = True
    try:
        import tonecheck._serve.app  # noqa: F401
    except ImportError as exc:
        print(f"the serve extra is missing ({exc}): pip install '.[serve]'", file=sys.stderr)
        return 2
    report: dict[str, Any] = {"workers": args.workers, "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    server = Server(args.workers)
    try:
        if args.latency:
            print(f"latency at {args.rate:g} req/s for {args.seconds:g} s ({args.workers} workers)", flush=True)
            report["latency"] = part_latency(server, args.rate, args.seconds)
            print(json.dumps(report["latency"]), flush=True)
        if args.max_rate:
            print("highest sustained rate with p99 <= 50 ms", flush=True)
            report["max_rate"] = part_max_rate(server, args.step_seconds, args.start_rate, args.step)
            print(json.dumps({k: v for k, v in report["max_rate"].items() if k != "steps"}), flush=True)
        if args.bad_input:
            print("bad input", flush=True)
            report["bad_input"] = part_bad_input(server)
            print(json.dumps(report["bad_input"], indent=1), flush=True)
        if args.soak:
            report["soak"] = part_soak(server, args.soak, args.soak_rate)
            print(json.dumps({k: v for k, v in report["soak"].items() if k != "samples"}, indent=1), flush=True)
    finally:
        server.stop()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    missed = [name for name in ("latency", "bad_input", "soak") if name in report and not report[name].get("met")]
    if missed:
        print(f"missed: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
