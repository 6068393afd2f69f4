"""Entry point for gunicorn: ``gunicorn wsgi:app``. Checks the database at start-up."""
from fund.app import create_app

app = create_app(check_database=True)
