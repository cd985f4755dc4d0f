"""Scenario content: one module per chapter (ch01.py, ch02.py, ...), each registering its
scenarios with `kcore.notebook.scenarios.scenario` and its task hints with
`kcore.notebook.hints.register`. Every module here is imported the first time a scenario or
hint is looked up."""
