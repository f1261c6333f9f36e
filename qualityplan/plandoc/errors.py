"""The one error the plandoc package raises for unreadable input."""


class PlanDocError(ValueError):
    """The input cannot be read as a plan document (empty, binary, wrong encoding, …)."""
