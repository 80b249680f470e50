"""The one error type of the template engine."""
from __future__ import annotations

from studio.library.errors import LibraryError


class TemplateError(LibraryError):
    """An unknown template or text slot, a template file that does not read, a sound without a
    beat grid...: one line naming the template, slot or sound. A LibraryError, so the command
    line reports it as bad input (exit 3) like an unknown sound or sticker."""
