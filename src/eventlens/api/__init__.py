"""HTTP API and dashboard server."""
