"""French communiqué search: the library.

Stages, one module each, in pipeline order: ``config`` and ``errors`` (shared), ``analysis``
(French words to index terms), ``corpus`` (files to documents), ``schema`` (index fields),
``indexing`` and ``generations`` (documents to a served index), ``syntax`` (what the user typed to
a plain query), ``querying`` (plain query to a page of hits), ``highlight`` (snippets).
Nothing here imports Flask; the web site and the command line are thin adapters over it.
"""

__version__ = "0.1.0"
