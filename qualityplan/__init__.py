"""qualityplan: a province's annual quality-development plan as software."""

__version__ = "0.1.0"
