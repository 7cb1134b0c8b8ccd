"""The one exception ingestion raises for a file it cannot take, with a reason a person can act on."""


class IngestError(Exception):
    """A file could not be ingested. ``str(error)`` is the user-facing reason."""
