"""The one error type of the captions engine."""
from __future__ import annotations

from studio.library.errors import LibraryError


class CaptionError(LibraryError):
    """A subtitle file that does not read, an engine that is not there, a script with no words...:
    one line naming the file (and line) or the engine and what to do. A LibraryError, so the
    command line reports it as bad input (exit 3), as it does an unknown template or sound."""
