"""Custom Rasa NLU components, named in config.yml as clinic_assistant.nlu.<module>.<Class>."""
