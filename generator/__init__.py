"""Turns openapi.yaml into code and checks it (see README, "generator/")."""
