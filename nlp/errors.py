"""The one exception root of the `nlp` package."""


class NlpError(Exception):
    """Base class for every error raised by `nlp`."""


class KbError(NlpError):
    """A knowledge-base file or entry is invalid (message names the file and entry id)."""


class LexiconError(NlpError):
    """A cue lexicon file is invalid."""
