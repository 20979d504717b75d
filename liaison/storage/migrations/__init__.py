"""Alembic migrations of the node's and the broker's databases, one chain each.

Each folder holds one linear chain of revision files (``vNNNN_<what>.py``);
:mod:`liaison.storage.migrate` runs them. A migration is a frozen snapshot:
it spells its tables out and never imports the models, which move on.
"""
