"""Every Vietnamese text of the data layer, one module per concern (messages, columns, files, …)."""
