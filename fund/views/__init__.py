"""Blueprints, one per audience: public, auth, applicant, officer, audit, api."""
