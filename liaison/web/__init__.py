"""The node's web console and HTTP JSON API (docs/web.md)."""
