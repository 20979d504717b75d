"""The node's ledger.

The hash chain of sent and served queries with their receipts (chain), its
SQL store (sql_store) and the JSON Lines export (export).
"""
