"""The one error type the media layer raises for unusable user files."""
from __future__ import annotations

import os
from pathlib import Path


class MediaError(Exception):
    """A media file cannot be used; ``str(err)`` is one line: ``"<name>: <problem>"``.

    Raise it as ``MediaError(path, problem)`` (the message names the file) or with a
    ready message, ``MediaError("clip.mp4: problem")``. ``reason``, when given, is the system's
    own short words for what failed ("Permission denied"), for callers above this layer that
    phrase the error their own way (a capture or effect message) without seeing PyAV's errors.
    """

    def __init__(self, path_or_message: str | os.PathLike, problem: str | None = None, *,
                 reason: str | None = None):
        self.reason = reason
        if problem is None:
            self.path = None
            self.problem = " ".join(str(path_or_message).split())
            message = self.problem
        else:
            self.path = Path(path_or_message)
            # Keep the message one line whatever the underlying library said.
            self.problem = " ".join(str(problem).split())
            message = f"{self.path.name}: {self.problem}"
        super().__init__(message)


class MediaWriteError(MediaError):
    """A file or device could not be written (disk full, read-only folder, refused by the muxer):
    callers report these as their own write errors, apart from unusable input files."""


def av_reason(exc: BaseException) -> str:
    """The short words of a PyAV/OS error: its strerror ("No space left on device"), else its text."""
    return getattr(exc, "strerror", None) or str(exc)


def describe_av_error(exc: BaseException) -> str:
    """Short, human phrasing of a PyAV/FFmpeg exception (no errno, no path echo)."""
    import av

    if isinstance(exc, av.error.InvalidDataError):
        return "not a media file or corrupt (invalid data found)"
    if isinstance(exc, (av.error.EOFError,)):
        return "truncated, unexpected end of file"
    if isinstance(exc, av.error.PermissionError):
        return "permission denied"
    if isinstance(exc, av.error.FFmpegError):
        text = getattr(exc, "strerror", None) or str(exc)
        return f"cannot be read ({text.splitlines()[0] if text else type(exc).__name__})"
    return f"cannot be read ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})".replace(": )", ")")


def check_readable_file(path: str | os.PathLike) -> Path:
    """Raise MediaError for the cheap-to-detect problems before any decoder sees the file."""
    import errno
    import stat

    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise MediaError(p, "file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MediaError(p, "is a symbolic link that loops back on itself") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise MediaError(p, "the file name is too long") from None
        raise MediaError(p, f"cannot be read ({exc.strerror or exc})") from None
    except ValueError:  # a NUL byte in the path
        raise MediaError(p, "is not a usable file path") from None
    if stat.S_ISDIR(st.st_mode):
        raise MediaError(p, "is a directory, not a media file")
    if not stat.S_ISREG(st.st_mode):
        # /dev/zero or a FIFO would be read forever (or block): only plain files are media
        raise MediaError(p, "is a device, pipe or socket, not a media file")
    if st.st_size == 0:
        raise MediaError(p, "file is empty (0 bytes)")
    if not os.access(p, os.R_OK):
        raise MediaError(p, "permission denied")
    return p
