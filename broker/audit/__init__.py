"""The broker's audit log.

The append-only Merkle log (log), its SQL store (sql_store), the entries a
query writes (events) and the Audit service (servicer).
"""
