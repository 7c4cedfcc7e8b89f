"""Messaging pages; one module per area."""
