"""The command-line adapter: ``reindex`` and ``search-cli`` (``commands``), and the progress
display of a reindex (``progress``). Options become settings, the engine does the work, and
``commands.error_boundary`` is the one place where library errors become a message and an exit
status."""
