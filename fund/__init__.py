"""fund: grant management for the Drents ontwikkelfonds."""
from fund.app import create_app

__all__ = ["create_app"]
