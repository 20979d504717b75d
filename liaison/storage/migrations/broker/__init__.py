"""The broker database's migrations: audit log and replay guard."""
