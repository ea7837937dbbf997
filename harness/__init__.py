"""The test and measurement harness: benchmarks, the soak test, the scale-out cluster and the NLU
evaluation. It imports clinic_assistant; nothing in clinic_assistant or actions imports it.
Run its scripts from the project root as modules (`python -m harness.soak`); the Makefile does.
"""
