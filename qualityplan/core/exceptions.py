class ApplicationError(Exception):
    """The one error services raise for a rule violation; mapped to HTTP 400 by the API handler.

    ``extra`` carries structured details (e.g. ``{"field": "value", "row": 12}``) for the client.
    """

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class Conflict(ApplicationError):
    """A rule violation against the object's current state, not against the input (HTTP 409): e.g. an edit of a
    published plan."""

    status_code = 409
