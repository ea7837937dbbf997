"""The clinic assistant's production code: everything the running assistant loads.

    settings.py       clinic.yml and every environment variable's default
    catalogue.py      the topic catalogue (content/topics.yml) and what is generated from it
    build.py          `python -m clinic_assistant.build`: writes the generated domain and rules
    callback.py       the clinician callback form's slot names
    redact.py         what counts as a phone number, e-mail, card, SSN, date or street address
    launcher.py       starts the action server and Rasa (`make run`, `make shell`, the tests)
    widget_server.py  the website chat widget's demo page; staff_shell.py: `make shell-debug`
    lock_store.py     the atomic Redis lock store (endpoints.yml, LOCK_STORE_TYPE)
    channels/         Rasa's channels, verified and never silent (credentials.yml)
    nlu/              custom NLU components: crisis guard, MiniLM featurizer (config.yml)
    privacy/          the redacting tracker store (endpoints.yml), retention (`make purge`)
    tickets/          handoff tickets: table, store, webhook notifier, `make tickets`

Dependencies point one way: settings and callback import nothing of the package, redact only
settings (the clinic's numbers, which it keeps);
tickets import redact; privacy imports tickets; channels import settings; the launcher imports
channels. Rasa's action server (actions/, at the top of the project) imports this package;
nothing here imports actions/ or the harness (harness/).
"""
