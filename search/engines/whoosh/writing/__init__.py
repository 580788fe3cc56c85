"""Documents into a Whoosh generation: analysed on every core (``analysing``, ``workers``),
written as one segment per process from scratch (``segments``) or as differences to the
previous generation (``corpus``)."""
