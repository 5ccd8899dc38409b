"""The web app: server-rendered pages with vendored front-end libraries, served by the API's app."""
