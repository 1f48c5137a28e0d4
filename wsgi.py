"""WSGI entry point: ``gunicorn wsgi:app``."""

from riskcheck import create_app

app = create_app()
