"""Custom Rasa components of the clinic assistant (used in config.yml as components.<module>.<Class>)."""
