"""``python -m liaison``: the same as the ``liaison`` command."""

from liaison.cli.main import entry_point

entry_point()
