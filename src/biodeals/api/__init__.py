"""The JSON API (FastAPI) and the application that serves it together with the web pages."""
