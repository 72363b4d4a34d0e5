"""Keyword extraction: whole terms per case, by TF-IDF, TextRank, discovery weight or their fusion.

The public entry point is :func:`extract_keywords` (see :mod:`.fusion` for the
default method and its reasoning); :mod:`.candidates` builds whole-term
candidates from tokens, :mod:`.tfidf` and :mod:`.textrank` hold one algorithm
each, usable on their own over plain tokens.
"""

from .candidates import CandidateOptions, CaseCandidates, build_candidates, chunks, terms_of
from .fusion import FUSED_WEIGHTS, METHODS, Keyword, KeywordSettings, extract_keywords, rank_case
from .textrank import pagerank, textrank, textrank_scores
from .tfidf import corpus_idf, load_background_idf, tfidf, tfidf_scores

__all__ = [
    "FUSED_WEIGHTS",
    "METHODS",
    "CandidateOptions",
    "CaseCandidates",
    "Keyword",
    "KeywordSettings",
    "build_candidates",
    "chunks",
    "corpus_idf",
    "extract_keywords",
    "load_background_idf",
    "pagerank",
    "rank_case",
    "terms_of",
    "textrank",
    "textrank_scores",
    "tfidf",
    "tfidf_scores",
]
