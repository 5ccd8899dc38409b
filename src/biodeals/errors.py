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
    │   └── FetchFailed      a URL or feed that is unreachable, times out or answers an error
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


class IngestError(BiodealsError):
    """An input could not be turned into a Document; ``source`` names the input."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


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
