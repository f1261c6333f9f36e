"""National-standard indicator calculations (pure Python + NumPy; never imports Django)."""
