"""Serving the app: gunicorn's settings, the WSGI entry point and the serving process's memory."""
