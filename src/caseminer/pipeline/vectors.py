"""A project's cache of string embeddings (table ``vector_cache``).

Discovery's steps 6 and 7 embed every listed string with the termhood model's embedder
(:mod:`caseminer.nlp.embeddings`); that is most of the stage's time. Normalisation embeds
the keywords of its proposals, most of them strings discovery embedded already. The vectors
are kept in the project, under the embedder's name and package version, so that re-running
a stage embeds only strings it has not seen. The cache is derived data: a stage's results
do not depend on it (a vector read back is the vector computed), and a new version of the
embedding package starts a new cache.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from ..nlp.embeddings import CachedEmbedder
from ..project import Project


def load_cached(project: Project, embedder: CachedEmbedder) -> set[str]:
    """Add the project's cached vectors for ``embedder`` to it; returns their keys."""
    rows = project.conn.execute("SELECT key, vector FROM vector_cache WHERE model = ?", (embedder.cache_key,))
    vectors = {key: np.frombuffer(blob, dtype="<f4").copy() for key, blob in rows}
    embedder.add_cached(vectors)
    return set(vectors)


def store_new(project: Project, embedder: CachedEmbedder, known: set[str], keys: Collection[str] | None = None) -> int:
    """Write the vectors ``embedder`` holds beyond ``known`` (inside the caller's
    transaction), only those of ``keys`` if given (:func:`caseminer.nlp.embeddings.vector_key`:
    the embedder's cache may hold other projects' strings); returns how many. Vectors of
    another model or package version are dropped: they would never be read again."""
    project.conn.execute("DELETE FROM vector_cache WHERE model != ?", (embedder.cache_key,))
    new = [(embedder.cache_key, key, np.asarray(v, dtype="<f4").tobytes())
           for key, v in embedder.cached().items() if key not in known and (keys is None or key in keys)]
    project.conn.executemany("INSERT OR REPLACE INTO vector_cache(model, key, vector) VALUES (?,?,?)", new)
    return len(new)
