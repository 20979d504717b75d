"""The node database's migrations: store, local users, agreements and ledger."""
