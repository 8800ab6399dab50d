"""Real servers for the service tests, started from this machine's packages and stopped after:
an S3-compatible object store (moto's server, from PyPI)."""

import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(size: int) -> int:
    """The first of `size` consecutive free ports, below Linux's ephemeral range (32768 and up)
    so that no outgoing connection of another test takes one of them before the server binds."""
    import random

    for _ in range(200):
        base = random.randrange(20000, 32000 - size)  # noqa: S311
        sockets = []
        try:
            for port in range(base, base + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError(f"no {size} consecutive free ports between 20000 and 32000")


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on 127.0.0.1:{port} within {timeout} s")


@contextmanager
def object_store(bucket: str = "sikla-berkas"):
    """An S3-compatible server with one private bucket; yields the SIKLA_STORAGE_URL for it."""
    import boto3

    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or "moto_server"
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [moto, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="kunci-uji",
            aws_secret_access_key="rahasia-uji",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=bucket)
        yield (
            f"s3://kunci-uji:rahasia-uji@{bucket}/berkas?endpoint={endpoint}&region=us-east-1",
            client,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
