"""The network leg of a live stream: one thread that connects, writes the encoded packets to the
ingest, notices a dead connection and reconnects with backoff, starting again at a keyframe.

It only ever receives finished packets, through a bounded queue the encoder never waits on: a
stalled or dead connection costs the viewers frames, never the encoder or the safety recording.
PyAV opens an output URL without passing options to FFmpeg's protocol (so `rw_timeout` cannot be
set), and holds the GIL while it connects: a server that takes the connection but never answers
(or an rtmps:// address on a plain RTMP port, which never finishes the TLS handshake) would freeze
the whole process. Hence the probe before each FFmpeg open: the host is resolved, connected to
and, TLS first for rtmps, made to answer an RTMP handshake, all in Python with a timeout, where
waiting costs no other thread anything. And the
watchdog: a write that has not returned after WRITE_TIMEOUT is taken as a dead connection, and the
stuck writer is left behind while a new connection is made.
"""
from __future__ import annotations

import queue
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from studio.live.errors import LiveError
from studio.live.health import CONNECTING, FAILED, LIVE, RECONNECTING, STOPPED

PROBE_TIMEOUT = 2.0
WRITE_TIMEOUT = 2.0
BACKOFF = (0.5, 1.0, 2.0, 4.0, 5.0)  # seconds before each retry; the last repeats
# An ingest that refuses a key still accepts the connection, and FFmpeg reports success before the
# server's verdict: it shows as connections that die at once. That many in a row means "refused".
QUICK_DEATH, REFUSALS = 1.5, 3
DEFAULT_PORTS = {"rtmp": 1935, "rtmps": 443}
RTMP_HANDSHAKE = 1536  # bytes of C1 (and S1)


def probe(url: str) -> None:
    """Resolve and TCP-connect to the ingest host, raising LiveError with the reason in plain
    words. SRT runs over UDP: there is nothing to probe, FFmpeg's own timeouts apply."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        return
    host, port = parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise LiveError(f"cannot find the server {host!r}: check the stream address") from None
    try:
        family, kind, proto, _, addr = infos[0]
        with socket.socket(family, kind, proto) as s:
            s.settimeout(PROBE_TIMEOUT)
            s.connect(addr)
            _rtmp_handshake(s, parts.scheme, host)
    except ConnectionRefusedError:
        raise LiveError(f"{host}:{port} refused the connection: check the stream address, "
                        f"or the server is down") from None
    except (TimeoutError, socket.timeout):
        raise LiveError(f"no answer from {host}:{port} within {PROBE_TIMEOUT:g} s: check the stream address "
                        f"(is it an RTMP server?)") from None
    except ssl.SSLError:
        raise LiveError(f"{host}:{port} does not speak TLS: check whether the address is rtmp:// "
                        f"rather than rtmps://") from None
    except OSError as exc:
        raise LiveError(f"cannot reach {host}:{port} ({exc.strerror or exc})") from None


def _rtmp_handshake(sock: socket.socket, scheme: str, host: str) -> None:
    """C0+C1 out, S0+S1 back (the start of every RTMP session; the server's part is 1537 bytes);
    over TLS for rtmps. Certificates are not verified, as FFmpeg's own TLS does not by default."""
    if scheme == "rtmps":
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            sock = context.wrap_socket(sock, server_hostname=host)
        except (TimeoutError, socket.timeout):
            raise LiveError(f"{host} did not answer the TLS handshake within {PROBE_TIMEOUT:g} s: check whether "
                            f"the address is rtmp:// rather than rtmps://") from None
    sock.sendall(b"\x03" + bytes(RTMP_HANDSHAKE))
    got = 0
    while got < 1 + RTMP_HANDSHAKE:
        chunk = sock.recv(1 + RTMP_HANDSHAKE - got)
        if not chunk:
            raise LiveError(f"{host} closed the connection during the RTMP handshake: "
                            f"check the stream address") from None
        got += len(chunk)


class NetworkSender:
    """Owns the network connection. `connect()` makes the first one (on the caller's thread, so a
    bad address fails `start()`), then `run()` (its thread) writes what `put()` queued.

    `open_output()` returns an object with `write(item)` and `close()` (output.py's muxer),
    raising LiveError when it cannot connect. `request_keyframe()` asks the encoder for an I-frame
    so a new connection starts soon with a picture a viewer can decode.
    """

    def __init__(self, open_output, *, request_keyframe, report, meters, max_items: int):
        self._open_output = open_output
        self._request_keyframe = request_keyframe
        self._report = report          # report(state, message or None)
        self._meters = meters          # .written(item, nbytes), .dropped_video(), .connected(...)
        self._queue: queue.Queue = queue.Queue(max_items)
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._output = None
        self._resync = threading.Event()
        self._opened_at = 0.0
        self._quick_deaths = 0
        self.reconnects = 0

    def connect(self) -> None:
        self._output = self._open_output()
        self._opened_at = time.monotonic()
        self._meters.connected(True)
        self._report(LIVE, "connected")

    def put(self, item) -> None:
        """Never blocks: when the connection cannot keep up, the backlog is thrown away and the
        stream resumes at the next keyframe (a half GOP would only show as broken pictures)."""
        if self._output is None:
            if item.is_video:
                self._meters.dropped_video()
            return
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self._resync.set()
            if item.is_video:
                self._meters.dropped_video()

    def finish(self) -> None:
        """After the last packet: write what is queued, then close (see `run`)."""
        self._finished.set()

    def abort(self) -> None:
        self._stop.set()

    def run(self) -> None:
        need_key = False
        while not self._stop.is_set():
            if self._output is None:
                if not self._reconnect():
                    break
                need_key = True
                continue
            if self._resync.is_set():
                self._resync.clear()
                self._drain()
                need_key = True
                self._request_keyframe()
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._finished.is_set():
                    break
                continue
            if need_key and not (item.is_video and item.is_keyframe):
                if item.is_video:
                    self._meters.dropped_video()
                continue
            need_key = False
            if not self._write(item):
                self._lost()
                if self._refused():
                    break
        self._close()
        self._report(STOPPED, None)

    def _write(self, item) -> bool:
        """Write on a helper thread and wait at most WRITE_TIMEOUT: a blackholed connection blocks
        inside FFmpeg for as long as the kernel keeps retrying (minutes)."""
        result: list = []
        output = self._output
        worker = threading.Thread(target=lambda: result.append(_try(output.write, item)), daemon=True)
        worker.start()
        worker.join(WRITE_TIMEOUT)
        if worker.is_alive():
            self._output = None  # stuck: abandoned, not closed (closing would block too)
            self._meters.connected(False)
            self._report(RECONNECTING, f"disconnected (no progress for {WRITE_TIMEOUT:g} s)")
            return True
        if result and result[0] is None:
            self._meters.written(item)
            return True
        return False

    def _refused(self) -> bool:
        quick = time.monotonic() - self._opened_at < QUICK_DEATH
        self._quick_deaths = self._quick_deaths + 1 if quick else 0
        if self._quick_deaths < REFUSALS:
            return False
        self._report(FAILED, "failed: the server ends the stream as soon as it starts: "
                             "check the stream key")
        return True

    def _lost(self) -> None:
        self._meters.connected(False)
        self._report(RECONNECTING, "disconnected")
        self._close()

    def _reconnect(self) -> bool:
        """Retry with growing pauses until connected (True) or stopped (False)."""
        for attempt in range(10**9):
            delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            self._report(RECONNECTING, f"reconnecting in {delay:g} s")
            if self._stop.wait(delay) or self._finished.is_set():
                return False
            self._report(CONNECTING, None)
            try:
                self._output = self._open_output()
            except LiveError as exc:
                self._report(RECONNECTING, f"reconnect failed: {exc}")
                continue
            self._opened_at = time.monotonic()
            self.reconnects += 1
            self._drain()
            self._request_keyframe()
            self._meters.connected(True)
            self._report(LIVE, "connected")
            return True
        return False

    def _drain(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item.is_video:
                self._meters.dropped_video()

    def _close(self) -> None:
        output, self._output = self._output, None
        if output is not None:
            self._meters.connected(False)
            _try(output.close)


def _try(fn, *args):
    """None on success, else the exception (a dying connection raises from write and close)."""
    try:
        fn(*args)
    except Exception as exc:  # noqa: BLE001 - reported as a lost connection, not raised
        return exc
    return None
