"""An agency node: its store, importer, PSI responder and requester, gRPC server."""
