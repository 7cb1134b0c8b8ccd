"""The web interface: the chat page and the JSON HTTP API, served together (``hoidap serve``)."""
