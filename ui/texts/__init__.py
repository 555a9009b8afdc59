"""The user-facing Vietnamese texts of the ``ui`` layer, one module per concern."""
