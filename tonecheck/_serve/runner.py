"""`tonecheck serve`: uvicorn under its multi-process supervisor.

The parent binds the address and stays small; each worker process builds the engine and warms it
up, and only then listens on the shared socket, so the port opens once a worker can answer. The
supervisor restarts a worker that dies or recycles itself (see `max-memory-growth-mb`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import resource
import shutil
import tempfile
from pathlib import Path
from typing import TextIO

from .settings import ERROR_FILE_ENV, SETTINGS_ENV, ServeSettings, load_api_keys

log = logging.getLogger("tonecheck.serve")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _raise_open_files_limit() -> None:
    """Many open connections need many descriptors: take the soft limit up to the hard one."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = hard if hard != resource.RLIM_INFINITY else 65536
        if soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (ValueError, OSError):
        pass


def serve(settings: ServeSettings, err: TextIO) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from .logs import configure

    configure(settings.log_level)
    if not _loopback(settings.host) and not load_api_keys(settings):
        log.warning(
            "listening on %s with no API keys: anyone who can reach it can use it "
            "(set TONECHECK_API_KEYS or api-keys-file)",
            settings.host,
        )
    _raise_open_files_limit()
    workdir = Path(tempfile.mkdtemp(prefix="tonecheck-serve-"))
    metrics_dir = workdir / "metrics"
    metrics_dir.mkdir()
    error_file = workdir / "startup-error"
    os.environ[SETTINGS_ENV] = settings.to_env()
    os.environ[ERROR_FILE_ENV] = str(error_file)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metrics_dir))
    os.environ["TONECHECK_SERVE_SUPERVISED"] = "1"
    config = uvicorn.Config(
        "tonecheck._serve.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        log_level=settings.log_level,
        access_log=False,  # our own access log leaves out query strings, which may hold a draft
        server_header=False,
        proxy_headers=False,
        backlog=4096,
        timeout_keep_alive=15,
        lifespan="off",
    )
    try:
        sock = config.bind_socket()
    except SystemExit:
        err.write(f"tonecheck: error: cannot listen on {settings.host}:{settings.port}\n")
        return 2
    try:
        try:
            supervisor = Multiprocess(config, sockets=[sock])
        except TypeError:  # uvicorn before 0.36 hands the supervisor the worker's entry point
            supervisor = Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock])  # type: ignore[call-arg]
        supervisor.run()
    finally:
        sock.close()
        failure = error_file.read_text(encoding="utf-8") if error_file.exists() else None
        shutil.rmtree(workdir, ignore_errors=True)
    if failure:
        err.write(f"tonecheck: error: {failure}\n")
        return 2
    return 0
