"""One exception root for the composition root."""


class TokenwatchError(Exception):
    """Base of errors raised by tokenwatch/ (CLI, scheduler, glue)."""
