"""``python -m chronicle``: the same command line as ``chronicle``."""

from chronicle.cli import main

main(prog_name="chronicle")
