"""The ``biodeals`` command line (Typer): parses arguments, calls the core, formats results."""

from biodeals.cli.commands import app, main

__all__ = ["app", "main"]
