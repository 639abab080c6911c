"""Issue and stance suggestions that learn from what the analyst already coded in this dossier.

Two scikit-learn models, fitted on the spot from two kinds of examples (nothing is downloaded,
nothing is stored: the same dossier gives the same suggestions):

- **the issues' own words**: each issue's label, description, keywords and what −2 and +2 mean,
  one example per issue, so a dossier with nothing coded yet still gets suggestions;
- **the coded statements**: every accepted statement with a position, its text and the sentence
  around it, labelled with the position's issue and the sign of its stance (0, neutral,
  becomes a class of its own once :data:`MIN_NEUTRAL` positions are coded 0).

Issue: TF-IDF over word uni/bigrams and character 4-grams; for every (statement, issue) pair the
issue's keywords in the statement and in its paragraph, the likeness to the issue's own words
and to the statements already coded on it; a logistic regression over those pair features
(shared by all issues, so a few coded statements are enough) gives each issue its probability. Stance: the direction is read relative to
each issue's own poles, since the scale of an issue may run either way ("no recognition of any
occupation" is +2 on occupied territories): the statement's polarity (negation, refusal) is
compared with the polarity of the −2 and +2 texts it resembles most, which gives a pole score; a
second logistic regression combines it with the polarity, the words that sound like a demand or a
condition, and the stances of the most similar statements already coded on that issue.

Each suggestion carries the model's probability as its confidence; below
:data:`ISSUE_THRESHOLD` or :data:`STANCE_THRESHOLD` it is left blank rather than wrong. The
thresholds were chosen on the seed dossier by leave-one-out (``docs/extraction.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parley.ingest.coded import Coded
from parley.ingest.lexicon import IssueEntry, Lexicon

#: Below these probabilities a suggestion is left blank (see docs/extraction.md for the measure).
ISSUE_THRESHOLD = 0.30
STANCE_THRESHOLD = 0.60
#: Coded neutral (0) positions needed before the stance model learns 0 as a third class (else it is + or −).
MIN_NEUTRAL = 3
#: A pole text's likeness to itself, scaled to what a statement's likeness to a pole usually is.
POLE_LIKENESS = 0.25
#: How much the sentence around a statement counts beside the statement itself.
CONTEXT_WEIGHT = 0.5

_NEGATION = re.compile(
    r"(?<![\w-])(?:not|never|no|nor|cannot|can't|won't|wouldn't|don't|doesn't|isn't|aren't|without|reject\w*|rul\w+\s+out|oppos\w+|against|refus\w+|"
    r"unacceptable|threat\w*|condemn\w*|deny|denied|denies|impossible|kept\s+out|keep\w*\s+out|stay\w*\s+out|exclud\w+|veto\w*|block\w*|isolat\w*|"
    r"premature|useless|pointless|dangerous|mistake|nonsense|fantasy|provocation\w*|unhelpful|wrong|farce)(?![\w-])",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"(?<![\w-])(?:never|under\s+no\s+circumstances|under\s+any\s+circumstances|red\s+lines?|non-negotiable|not\s+acceptable|unacceptable|will\s+not\s+allow|"
    r"won't\s+allow|must|essential|direct\s+threat|at\s+all\s+costs|demand\w*|insist\w*|full\w*|immediate\w*)(?![\w-])",
    re.IGNORECASE,
)
_RED_LINE = re.compile(
    r"(?<![\w-])(?:never|under\s+no\s+circumstances|under\s+any\s+circumstances|red\s+lines?|non-negotiable|not\s+acceptable|unacceptable|will\s+not\s+allow|won't\s+allow)(?![\w-])",
    re.IGNORECASE,
)
_SUPPORT = re.compile(
    r"(?<![\w-])(?:want\w*|agree\w*|welcome\w*|support\w*|back\w*|need\w*|should|must|hope\w*|expect\w*|positive|constructive|useful|productive|essential|"
    r"opportunit\w+|ready|willing|favour\w*|favor\w*|call\w*\s+for|urg\w+|demand\w*|seek\w*|increase\w*|launch\w*|role|part\s+of|sit\s+at|find\s+a\s+way)(?![\w-])",
    re.IGNORECASE,
)
_CONDITION = re.compile(r"(?<![\w-])(?:if|unless|provided|on\s+condition|only\s+(?:if|when|after)|as\s+long\s+as|in\s+exchange\s+for|in\s+return\s+for|once|at\s+some\s+point|after\s+a)(?![\w-])", re.IGNORECASE)
_NEIGHBOURS = 3


@dataclass(frozen=True)
class Suggestion:
    """Suggested issues (best first), a stance on the first one, and how sure each is."""

    issues: tuple[str, ...]
    issue_confidence: float
    stance: int | None
    stance_label: str
    stance_confidence: float
    red_line: bool


#: "No deal without Ukraine", "will not agree on anything without Europe": a condition, not a refusal.
_NOT_WITHOUT = re.compile(r"(?<![\w-])(?:not|never|no|nothing|cannot|can't|won't)\b[^.;:]{0,60}?\bwithout\b", re.IGNORECASE)
#: A reporting verb that turns what it reports around: "has ruled out …", "fear that …".
_REFUSING_CUE = re.compile(r"(?<![\w-])(?:rul\w+\s+out|reject\w*|dismiss\w*|refus\w+|den(?:y|ied|ies)|oppos\w+|condemn\w*|fear\w*|veto\w*|block\w*)(?![\w-])", re.IGNORECASE)


def polarity(text: str, cue: str = "") -> int:
    """−1 when the words refuse, negate or oppose more than they want or support, else +1.

    "Not … without X" counts as wanting X. A refusing reporting verb outside the text ("has ruled
    out … and also the recovery of the territory") turns the reading around.
    """
    doubled = len(_NOT_WITHOUT.findall(text))
    negative = len(_NEGATION.findall(text)) - 2 * doubled
    positive = len(_SUPPORT.findall(text)) + doubled
    reading = -1 if negative > positive or (negative > 0 and negative == positive) else 1
    refusing = _REFUSING_CUE.search(cue) if cue else None
    if refusing and refusing.group().lower() not in text.lower():
        reading = -reading
    return reading


class Suggester:
    """Issue and stance suggestions for one dossier (see the module docstring).

    Parameters
    ----------
    issues
        The dossier's issues, by id.
    coded
        What the analyst has coded so far (:func:`parley.ingest.coded.coded_examples`).
    """

    def __init__(self, issues: dict[str, IssueEntry], coded: Sequence[Coded] = ()):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        self.issues = dict(issues)
        self.coded = [c for c in coded if c.issue_id in self.issues]
        self._ids = sorted(self.issues)
        self._vectorizer = FeatureUnion([
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode")),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True, strip_accents="unicode")),
        ])
        described = [_issue_words(self.issues[i]) for i in self._ids]
        self._vectorizer.fit(described + [c.text for c in self.coded] + [c.context for c in self.coded] or ["empty"])
        self._described = self._embed(described)
        self._minus = self._embed([self.issues[i].minus2_means or self.issues[i].label for i in self._ids])
        # the +2 side carries the issue's own name and keywords: an on-topic statement that wants
        # something leans to the side the issue is named after, unless its words say otherwise
        self._plus = self._embed([_plus_words(self.issues[i]) for i in self._ids])
        self._pole_polarity = np.array([[polarity(self.issues[i].minus2_means), polarity(self.issues[i].plus2_means)] for i in self._ids], dtype=float)
        self._keywords, self._keyword_issues = _keyword_pattern(self.issues, self._ids)
        self._coded_text = self._embed([c.text for c in self.coded]) if self.coded else None
        self._coded_context = self._embed([c.context for c in self.coded]) if self.coded else None
        self._coded_issue = np.array([self._ids.index(c.issue_id) for c in self.coded], dtype=int)
        self._issue_model = self._fit_issues() if self._ids else None
        self._stance_model = self._fit_stance() if self._ids else None

    # ------------------------------------------------------------------ public

    def suggest(self, text: str, context: str = "", actor_id: str = "", cue: str = "", limit: int = 2) -> Suggestion:
        """Suggest issues and a stance for one statement.

        ``context`` is the paragraph around it; ``actor_id`` the party it speaks for (its earlier
        positions on an issue say which way it usually leans); ``cue`` the words that attribute it.
        """
        return self.suggest_many([(text, context, actor_id, cue)], limit)[0]

    def suggest_many(self, items: Sequence[tuple[str, str, str, str]], limit: int = 2) -> list[Suggestion]:
        """:meth:`suggest` for many statements at once: (text, context, actor_id, cue) each."""
        if not items:
            return []
        texts = [i[0] for i in items]
        if self._issue_model is None:
            return [Suggestion((), 0.0, None, "unclear", 0.0, bool(_RED_LINE.search(t))) for t in texts]
        vectors = self._embed(texts)
        features = self._issue_features(texts, [i[1] for i in items], vectors, self._embed([i[1] for i in items]), skip=-1)
        scores = self._issue_model.predict_proba(features.reshape(-1, features.shape[-1]))[:, 1].reshape(len(items), len(self._ids))
        ranked = [self._ranked(row, limit) for row in scores]
        minus, plus, coded = self._similarities(vectors)
        asked = [n for n, (issues, _) in enumerate(ranked) if issues]
        stances = self._stances([(texts[n], items[n][3], self._ids.index(ranked[n][0][0]), items[n][2], minus[n], plus[n], None if coded is None else coded[n]) for n in asked])
        out = [Suggestion((), best, None, "unclear", 0.0, False) for _, best in ranked]
        for n, (stance, label, confidence) in zip(asked, stances, strict=True):
            issues, best = ranked[n]
            out[n] = Suggestion(issues, best, stance, label, confidence, bool(_RED_LINE.search(texts[n])) and stance is not None)
        return out

    def _ranked(self, scores: np.ndarray, limit: int) -> tuple[tuple[str, ...], float]:
        """The best issues (up to ``limit``, at least half as likely as the first) and the best probability."""
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        if best < ISSUE_THRESHOLD:
            return (), round(best, 2)
        return tuple(self._ids[k] for k in order[:limit] if scores[k] >= max(ISSUE_THRESHOLD, best / 2)), round(best, 2)

    def stance_for(self, text: str, context: str, issue_id: str, actor_id: str = "", cue: str = "") -> tuple[int | None, str, float]:
        """The stance suggestion on one issue (the analyst may have chosen another issue)."""
        if issue_id not in self.issues:
            return None, "unclear", 0.0
        minus, plus, coded = self._similarities(self._embed([text]))
        return self._stance(text, (minus[0], plus[0], None if coded is None else coded[0]), self._ids.index(issue_id), actor_id, cue)

    def _stance(self, text: str, similar: tuple, issue: int, actor_id: str, cue: str) -> tuple[int | None, str, float]:
        return self._stances([(text, cue, issue, actor_id, *similar)])[0]

    def _stances(self, asks: list[tuple]) -> list[tuple[int | None, str, float]]:
        """Stances for (text, cue, issue index, actor id, minus, plus, coded similarities) each."""
        if self._stance_model is None or not asks:
            return [(None, "unclear", 0.0)] * len(asks)
        features = np.array([self._stance_features(*ask) for ask in asks])
        classes = [int(c) for c in self._stance_model.classes_]
        probabilities = self._stance_model.predict_proba(features)
        out: list[tuple[int | None, str, float]] = []
        for ask, row in zip(asks, probabilities, strict=True):
            text = ask[0]
            # the likeliest sign; a tie goes to +, as a two-way model's p >= 0.5 did
            sign, confidence = max(zip(classes, (float(p) for p in row), strict=True), key=lambda item: (item[1], item[0] > 0, item[0] == 0))
            if confidence < STANCE_THRESHOLD:
                out.append((None, "unclear", round(confidence, 2)))
            elif sign == 0:
                out.append((0, "neutral", round(confidence, 2)))
            elif sign > 0 and _CONDITION.search(text):
                out.append((1, "conditional", round(confidence, 2)))
            else:
                out.append((sign * (2 if _STRONG.search(text) else 1), "support" if sign > 0 else "oppose", round(confidence, 2)))
        return out

    # ------------------------------------------------------------------ issues

    def _embed(self, texts: list[str]):
        """Unit-length TF-IDF rows (each distinct text vectorised once: paragraphs repeat)."""
        from sklearn.preprocessing import normalize

        unique = list(dict.fromkeys(texts))
        rows = normalize(self._vectorizer.transform(unique))
        if len(unique) == len(texts):
            return rows
        index = {t: k for k, t in enumerate(unique)}
        return rows[[index[t] for t in texts]]

    def _issue_features(self, texts: list[str], contexts: list[str], vectors, around, skip: int) -> np.ndarray:
        """Features of every (statement, issue) pair, shape (statements, issues, 7): keywords in the
        text and around it, likeness to the issue's own words and to the statements coded on it
        (``skip``: a coded example to leave out, the statement itself when it is one)."""
        n, issues = len(texts), len(self._ids)
        own = (vectors @ self._described.T).toarray()
        near = (around @ self._described.T).toarray()
        hits = np.minimum(3.0, np.array([self._hits(t) for t in texts]).reshape(n, issues))
        hits_around = np.minimum(3.0, np.array([self._hits(c) for c in contexts]).reshape(n, issues))
        like_text = np.zeros((n, issues))
        like_context = np.zeros((n, issues))
        share = np.zeros((n, issues))
        if self._coded_text is not None:
            sims = (vectors @ self._coded_text.T).toarray()
            sims_context = (around @ self._coded_context.T).toarray()
            keep = np.ones(len(self.coded), dtype=bool)
            if skip >= 0:
                keep[skip] = False
            for k in range(issues):
                mask = (self._coded_issue == k) & keep
                if mask.any():
                    like_text[:, k] = sims[:, mask].max(axis=1)
                    like_context[:, k] = sims_context[:, mask].max(axis=1)
                    share[:, k] = mask.sum() / max(1, keep.sum())
        return np.stack([hits, hits_around, own, near, like_text, like_context, share], axis=-1)

    def _fit_issues(self):
        from sklearn.linear_model import LogisticRegression

        rows, labels, weights = [], [], []
        for k, issue_id in enumerate(self._ids):  # the issues' own words, as if coded once
            issue = self.issues[issue_id]
            words = " ".join(issue.keywords)
            rows.append(self._issue_features([words], [issue.description], self._embed([words]), self._embed([issue.description]), skip=-1)[0])
            labels.extend(int(j == k) for j in range(len(self._ids)))
            weights.extend([0.5] * len(self._ids))
        for j, c in enumerate(self.coded):
            rows.append(self._issue_features([c.text], [c.context], self._coded_text[j], self._coded_context[j], skip=j)[0])
            labels.extend(int(k == self._coded_issue[j]) for k in range(len(self._ids)))
            weights.extend([1.0] * len(self._ids))
        model = LogisticRegression(C=1.0, max_iter=1000, class_weight="balanced")
        model.fit(np.vstack(rows), np.array(labels), sample_weight=np.array(weights))
        return model

    def _hits(self, text: str) -> np.ndarray:
        """Keyword hits per issue; a keyword of several words counts more."""
        out = np.zeros(len(self._ids))
        if self._keywords is None or not text:
            return out
        for match in self._keywords.finditer(text):
            keyword = " ".join(match.group().lower().split())
            for k in self._keyword_issues.get(keyword, ()):
                out[k] += 1 + 0.5 * keyword.count(" ")
        return out

    # ------------------------------------------------------------------ stance

    def _similarities(self, vectors) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Dense likeness of statements to every issue's −2 and +2 texts and to every coded statement."""
        minus = (vectors @ self._minus.T).toarray()
        plus = (vectors @ self._plus.T).toarray()
        coded = (vectors @ self._coded_text.T).toarray() if self._coded_text is not None else None
        return minus, plus, coded

    def _stance_features(self, text: str, cue: str, issue: int, actor_id: str, minus: np.ndarray, plus: np.ndarray, coded: np.ndarray | None, skip: int = -1) -> list[float]:
        """Pole score, polarity, strength, condition, what similar coded statements and the same
        party's earlier positions on this issue say (one statement's rows of :meth:`_similarities`)."""
        mine = polarity(text, cue)
        toward_minus = minus[issue] * mine * self._pole_polarity[issue, 0]
        toward_plus = plus[issue] * mine * self._pole_polarity[issue, 1]
        neighbours = party = 0.0
        if coded is not None:
            same = [j for j in self._by_issue.get(issue, ()) if j != skip]
            if same:
                sims = coded[same]
                top = np.argsort(-sims, kind="stable")[:_NEIGHBOURS]
                neighbours = float(sum(sims[t] * self._coded_sign[same[t]] for t in top))
                mine_party = [self._coded_sign[j] for j in same if actor_id and self.coded[j].actor_id == actor_id]
                party = float(np.mean(mine_party)) if mine_party else 0.0
            calm = [j for j in self._neutral_by_issue.get(issue, ()) if j != skip]
            neutral = float(np.max(coded[calm])) if calm else 0.0  # likeness to a statement coded 0 (0 while 0 is no class)
        else:
            neutral = 0.0
        return [5 * float(toward_plus - toward_minus), float(mine), float(bool(_STRONG.search(text))), float(bool(_CONDITION.search(text))), neighbours, party,
                3 * neutral]

    def _fit_stance(self):
        from sklearn.linear_model import LogisticRegression

        self._coded_sign = np.array([np.sign(c.stance) for c in self.coded], dtype=float)
        self._by_issue: dict[int, list[int]] = {}
        self._neutral_by_issue: dict[int, list[int]] = {}
        neutral = sum(1 for c in self.coded if c.stance == 0) >= MIN_NEUTRAL  # enough coded 0s: a third class
        for j, c in enumerate(self.coded):
            if c.stance:
                self._by_issue.setdefault(int(self._coded_issue[j]), []).append(j)
            elif neutral:
                self._neutral_by_issue.setdefault(int(self._coded_issue[j]), []).append(j)
        rows, signs, weights = [], [], []
        for k, issue_id in enumerate(self._ids):  # the poles themselves: which way each scale runs
            issue = self.issues[issue_id]
            for pole, sign in ((issue.minus2_means, -1), (issue.plus2_means, 1)):
                if pole:
                    minus, plus, coded = self._similarities(self._embed([pole]))
                    # a pole resembles itself far more than any statement resembles it: scaled down
                    # to a statement's likeness, so the model is not made timid by its own poles
                    rows.append(self._stance_features(pole, "", k, "", POLE_LIKENESS * minus[0], POLE_LIKENESS * plus[0], None if coded is None else coded[0]))
                    signs.append(sign)
                    weights.append(0.3)
            # an issue is named after its +2 side ("Ceasefire", "Troops in Ukraine"): wanting the thing
            # it names leans +, refusing it leans − (a prior that coded statements outweigh)
            for text, sign in ((issue.label, 1), (f"no {issue.label}", -1)):
                minus, plus, coded = self._similarities(self._embed([text]))
                rows.append(self._stance_features(text, "", k, "", POLE_LIKENESS * minus[0], POLE_LIKENESS * plus[0], None if coded is None else coded[0]))
                signs.append(sign)
                weights.append(0.3)
        if self.coded:
            minus, plus, coded = self._similarities(self._coded_text)
            for j, c in enumerate(self.coded):
                if c.stance or neutral:
                    rows.append(self._stance_features(c.text, c.cue, int(self._coded_issue[j]), c.actor_id, minus[j], plus[j], coded[j], skip=j))
                    signs.append(int(np.sign(c.stance)))
                    weights.append(1.0)
        if len(set(signs)) < 2:
            return None
        model = LogisticRegression(C=1.0, max_iter=1000)
        model.fit(np.array(rows), np.array(signs), sample_weight=np.array(weights))
        return model


def _keyword_pattern(issues: dict[str, IssueEntry], ids: list[str]) -> tuple[re.Pattern[str] | None, dict[str, list[int]]]:
    """One pattern for every issue's keywords, and keyword -> the issues (by index) that list it."""
    owners: dict[str, list[int]] = {}
    for k, issue_id in enumerate(ids):
        for keyword in issues[issue_id].keywords:
            key = " ".join(keyword.lower().split())
            if key and k not in owners.setdefault(key, []):
                owners[key].append(k)
    if not owners:
        return None, owners
    words = sorted(owners, key=lambda k: (-len(k), k))
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in words) + r")(?![\w-])", re.IGNORECASE), owners


def _plus_words(issue: IssueEntry) -> str:
    return " ".join([issue.plus2_means, issue.label, " ".join(issue.keywords)])


def _issue_words(issue: IssueEntry) -> str:
    return " ".join([issue.label, issue.description, " ".join(issue.keywords), issue.minus2_means, issue.plus2_means])


#: Where :func:`suggester_for` keeps a lexicon's fitted suggester, in the lexicon's own attributes.
_FITTED = "_fitted_suggester"


def suggester_for(lexicon: Lexicon) -> Suggester:
    """The suggester fitted on a lexicon's issues and coded statements, fitted once per lexicon.

    Kept on the lexicon object itself (as ``functools.cached_property`` keeps a value), so every
    article read with one lexicon uses one fit, and a lexicon loaded again fits its own.
    """
    fitted = vars(lexicon).get(_FITTED)
    if not isinstance(fitted, Suggester):
        fitted = vars(lexicon)[_FITTED] = Suggester(lexicon.issues, lexicon.coded)
    return fitted
