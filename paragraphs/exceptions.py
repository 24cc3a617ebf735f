class EditConflict(Exception):
    """Someone else saved the object since the writer read it.

    Carries the object as it is now, so the browser can show the other change and the API
    can answer 412 with the current representation.
    """

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else.")
        self.current = current


def check_version(current, expected_version: int | None) -> None:
    """Optimistic locking: a writer that read version N may only save over version N."""
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current)
