"""`studio record` and `studio recover` (filled in by the capture work)."""


def register(sub) -> None:
    """Add the capture subcommands to the `studio` parser."""
