"""Run the command-line interface with ``python -m kgbuild``."""

from kgbuild.cli import main

main()
