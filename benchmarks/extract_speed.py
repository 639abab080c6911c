"""Speed of the quote extractor: 1,000 synthetic articles of about 800 words each.

The articles are generated here (SYNTHETIC: invented names and sentences, fixed random seed), in
the shapes news copy takes: reporting verbs before and after quotations, split quotations,
quotations running over paragraphs, reported speech, descriptions and pronouns, wire furniture.
Extraction runs with the seed dossier's lexicon when it is there (more names and keywords to
match), else with an empty one. The goal is at most 30 s for the 1,000 articles.

Run: ``.venv/bin/python benchmarks/extract_speed.py [--articles N] [--words N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm  # noqa: E402

from parley.ingest.lexicon import Lexicon, load_lexicon  # noqa: E402
from parley.ingest.propose import propose_statements  # noqa: E402

GOAL_SECONDS = 30.0
FIRST = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Kamala", "Lars"]
LAST = ["Petrenko", "Halvorsen", "Moreau", "Kuznetsov", "Okafor", "Lindqvist", "Varga", "Novak", "Sato", "Brandt"]
ROLES = ["foreign minister", "spokeswoman", "senior diplomat", "defence analyst", "deputy prime minister", "envoy"]
PLACES = ["Vienna", "Oslo", "Doha", "Geneva", "Ankara", "Riyadh"]
TOPICS = ["security guarantees", "the ceasefire line", "sanctions relief", "peacekeeping troops", "prisoner exchanges", "energy deals"]
VERBS = ["said", "told reporters", "added", "warned", "insisted", "stressed"]
FILLER = (
    "The talks lasted several hours and ended without a joint statement. Officials on both sides described the atmosphere "
    "in cautious terms. Markets reacted calmly to the news, and analysts expected little movement before the summer. "
    "Diplomats in {place} said a further round could be held within weeks, although no date has been set."
)


def synthetic_article(rng: random.Random, words: int = 800) -> str:
    """One SYNTHETIC news article of about ``words`` words."""
    people = [(rng.choice(FIRST), rng.choice(LAST), rng.choice(ROLES)) for _ in range(4)]
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    lines = [
        f"SYNTHETIC: {people[0][1]} says '{rng.choice(['no deal', 'real progress', 'a first step'])}' on {topic} after {place} talks",
        "Sign up for our newsletter",
        f"{place.upper()}, March {rng.randint(1, 28)} (Wire) - The {people[0][2]} {people[0][0]} {people[0][1]} said on Tuesday that her government would not accept any deal on {topic} that ignored its partners.",
    ]
    while sum(len(line.split()) for line in lines) < words:
        first, last, role = rng.choice(people)
        verb = rng.choice(VERBS)
        pick = rng.randrange(7)
        if pick == 0:
            lines.append(f'"We want an agreement on {topic}, but not at any price," {last} {verb}. "Nobody should doubt our resolve."')
        elif pick == 1:
            lines.append(f'"The door remains open," {verb} {first} {last}, the {role}, "and we expect the other side to walk through it."')
        elif pick == 2:
            lines.append(f"According to {first} {last}, the {role}, the negotiators have agreed to meet again in {rng.choice(PLACES)} next month.")
        elif pick == 3:
            lines.append(f'{first} {last}, a {role} based in {place}, {verb} that the proposal on {topic} was "dead on arrival" and would need to be rewritten.')
        elif pick == 4:
            lines.append(f'"This is a test of our unity.\n"If we fail here, we fail everywhere," the {role} {verb}.')
        elif pick == 5:
            lines.append(f"The {role} has ruled out any compromise on {topic} and warned that talks could collapse.")
        else:
            lines.append(FILLER.format(place=place))
    lines.append("Reporting by Wire staff; Editing by Desk")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(20250218)
    articles = [synthetic_article(rng, args.words) for _ in range(args.articles)]
    try:
        lexicon = load_lexicon("riyadh_2025")
    except Exception:  # the benchmark must run without the seed dossier too
        lexicon = Lexicon.empty()
    words = sum(len(a.split()) for a in articles)
    propose_statements(articles[0], lexicon)  # warm the compiled patterns
    started = time.perf_counter()
    proposals = 0
    for article in tqdm(articles, desc="extract", unit="article", disable=args.json):
        proposals += len(propose_statements(article, lexicon))
    elapsed = time.perf_counter() - started
    result = {
        "articles": len(articles),
        "mean_words": round(words / len(articles)),
        "proposals": proposals,
        "seconds": round(elapsed, 2),
        "ms_per_article": round(1000 * elapsed / len(articles), 2),
        "goal_seconds": GOAL_SECONDS,
        "within_goal": elapsed <= GOAL_SECONDS,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['articles']} articles of ~{result['mean_words']} words: {result['seconds']} s "
            f"({result['ms_per_article']} ms each, {proposals} proposals); goal <= {GOAL_SECONDS:.0f} s: "
            f"{'met' if result['within_goal'] else 'MISSED'}"
        )
    return 0 if result["within_goal"] else 1


if __name__ == "__main__":
    sys.exit(main())
