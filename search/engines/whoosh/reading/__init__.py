"""A request into a page, on the served Whoosh generation: ``store`` keeps it open, ``matching``
compiles the parsed query, ``filtering`` turns filters into allowed documents, ``ranking``
orders the matches, ``marking`` finds the words to mark, ``facets`` and ``timeline`` count,
``querying`` runs the whole request; ``documents`` and ``suggest`` serve the other pages."""
