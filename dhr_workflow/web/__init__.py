"""The web app and JSON API (FastAPI): entry points that only translate between HTTP and the services."""
