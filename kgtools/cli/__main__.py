"""``python -m kgtools.cli``: the same as the ``kgtools`` command."""

from kgtools.cli import main

main()
