"""Live streaming output: composed frames and sound to an RTMP/RTMPS/SRT ingest, with a
crash-safe local safety recording of the same encode."""
from studio.live.errors import LiveError
from studio.live.health import Health
from studio.live.output import LiveOutput
from studio.live.secrets import StreamKey, join_url, load_key, save_key, scrub

__all__ = ["Health", "LiveError", "LiveOutput", "StreamKey", "join_url", "load_key", "save_key", "scrub"]
