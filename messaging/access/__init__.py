"""Who may do what in messaging; one module per area."""
