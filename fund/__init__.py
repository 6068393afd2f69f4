"""fund: grant management for the Drents ontwikkelfonds.

``create_app`` is imported on first use, so ``import fund.rules`` (the ``fund rules`` commands,
the rules engine) does not pull in Flask extensions, SQLAlchemy models and Alembic
(docs/performance.md, cold start)."""

__all__ = ["create_app"]


def __getattr__(name):
    if name == "create_app":
        from fund.app import create_app

        return create_app
    raise AttributeError(f"module 'fund' has no attribute {name!r}")
