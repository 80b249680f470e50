"""A real nginx with the RTMP module on 127.0.0.1, recording what it receives: the ingest server of
the live tests (the `rtmp_server` fixture in tests/conftest.py). A plain module, imported by name."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")

CONFIG = """
{user}
load_module {module};
daemon off;
master_process on;
worker_processes 1;
error_log {root}/error.log warn;
pid {root}/nginx.pid;
events {{ worker_connections 64; }}
rtmp {{
    server {{
        listen 127.0.0.1:{port};
        chunk_size 4096;
        application live {{
            live on;
            record all;
            record_path {records};
            record_unique off;
        }}
        # An ingest that refuses every publisher: what a wrong stream key looks like to us.
        application locked {{
            live on;
            deny publish all;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, up: bool, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with socket.socket() as s:
            s.settimeout(0.2)
            is_up = s.connect_ex(("127.0.0.1", port)) == 0
        if is_up == up:
            return
        time.sleep(0.02)
    raise RuntimeError(f"nginx did not {'start' if up else 'stop'} listening on {port}")


class RtmpServer:
    def __init__(self, root: Path):
        self.root = root
        self.records = root / "records"
        self.records.mkdir(parents=True)
        self.port = free_port()
        self.conf = root / "nginx.conf"
        # Started as root, nginx runs its worker as `nobody`, which cannot enter pytest's 0700
        # temporary folders: the worker stays root here (it only ever listens on 127.0.0.1).
        user = "user root root;" if os.geteuid() == 0 else ""
        self.conf.write_text(CONFIG.format(user=user, module=RTMP_MODULE, root=root, port=self.port,
                                           records=self.records))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"rtmp://127.0.0.1:{self.port}/live"

    def start(self) -> None:
        self.process = subprocess.Popen([str(NGINX), "-c", str(self.conf), "-p", str(self.root)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)  # fast shutdown: drops the live connections
        self.process.wait(10)
        self.process = None
        wait_port(self.port, up=False)

    def recording(self, name: str, timeout: float = 5.0) -> Path:
        """The .flv nginx wrote for stream `name`, once it stopped growing."""
        path = self.records / f"{name}.flv"
        end, last = time.monotonic() + timeout, -1
        while time.monotonic() < end:
            size = path.stat().st_size if path.exists() else -1
            if size > 0 and size == last:
                return path
            last = size
            time.sleep(0.25)
        raise AssertionError(f"nginx wrote no finished recording for the stream ({path.name})")
