"""The FastAPI service: thin HTTP routes over the domain packages."""
