"""Every write in messaging; one module per area."""
