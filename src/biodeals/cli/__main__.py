"""``python -m biodeals.cli``."""

from biodeals.cli import main

main()
