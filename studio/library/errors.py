"""Errors raised by the asset library."""


class LibraryError(ValueError):
    """Bad or missing library data; the message is one line naming the file or item."""
