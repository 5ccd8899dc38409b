"""Exceptions raised by biodeals.

Every error the project raises on purpose derives from ``BiodealsError``; surfaces (CLI, API)
translate only these into user messages, so anything else reaching them is a bug.

    BiodealsError
    ├── IngestError          an input could not be read into a Document
    │   ├── EmptyInput
    │   ├── BinaryInput
    │   ├── InputTooLarge
    │   ├── DecodeFailed
    │   ├── MalformedInput   HTML / JSON / CSV / feed that does not parse
    │   ├── UnsupportedInput
    │   ├── FetchFailed      a URL or feed that is unreachable, times out or answers an error
    │   └── ReadFailed       a reader failed on one input or record in a way nobody foresaw
    ├── ExtractError         the nlp layer was given something it cannot work on
    ├── VocabularyError      the bundled vocabulary artifact is missing or invalid
    ├── ConfigError          a setting or option has an invalid value
    ├── StoreError           the knowledge base cannot be opened or written
    ├── NotFound             a deal, company ... asked for by id or name does not exist
    └── InternalError        a bug in biodeals itself
"""

from __future__ import annotations


class BiodealsError(Exception):
    """Base class of every error biodeals raises deliberately."""


def printable(text: str) -> str:
    """``text`` with every non-printable character (newline, ESC, bidi controls, surrogates ...)
    written as its Python escape, so a file named ``"a\\nERROR: ..."`` cannot forge a line of
    output nor break an encoder."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class IngestError(BiodealsError):
    """An input could not be turned into a Document; ``source`` names the input.

    ``source`` and ``problem`` keep what they were given; the message escapes both, as it ends
    up on terminals, in logs and in the knowledge base."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{printable(source)}: {printable(problem)}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Pickled as made (a cluster worker sends it back): ``args`` holds the message only."""
        return type(self), (self.source, self.problem)


class EmptyInput(IngestError):
    """The input holds no text."""


class BinaryInput(IngestError):
    """The input is binary data, not text."""


class InputTooLarge(IngestError):
    """The input exceeds the configured size limit."""


class DecodeFailed(IngestError):
    """The bytes could not be decoded as text in any plausible encoding."""


class MalformedInput(IngestError):
    """Structured input (HTML, JSON, CSV, feed) does not parse."""


class UnsupportedInput(IngestError):
    """No reader handles this kind of input."""


class FetchFailed(IngestError):
    """A URL could not be fetched (unreachable, timed out, HTTP error)."""


class ReadFailed(IngestError):
    """A reader raised something unforeseen on one input or record (a bug, in biodeals or a
    library it uses); that input is reported and the rest of the run goes on."""


class ExtractError(BiodealsError):
    """Extraction cannot run on the given input."""


class VocabularyError(BiodealsError):
    """The vocabulary artifact is missing or invalid."""


class ConfigError(BiodealsError):
    """A setting or option has an invalid value."""


class StoreError(BiodealsError):
    """The database cannot be opened, migrated or written."""


class NotFound(BiodealsError):
    """A record asked for by id or name does not exist."""


class InternalError(BiodealsError):
    """A bug in biodeals: please report it."""
