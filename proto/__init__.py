"""Liaison wire contract (generated code beside the .proto files)."""
