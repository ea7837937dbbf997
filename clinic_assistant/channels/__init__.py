"""Messaging platforms: verified connectors and their configuration from the environment."""
