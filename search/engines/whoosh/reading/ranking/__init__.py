"""Ranking in two stages: ``first_stage`` scores every match by BM25F (``bm25``: the weighting
model) over whole posting lists, ``order`` puts them in order (all words first for short
queries, or by date), ``rerank`` reorders the best candidates with bonuses for words close
together (``proximity``) and in the exact form typed."""
