"""General English attribution vocabulary: reporting verbs, auxiliaries, role nouns, titles.

Nothing here is about one article or one negotiation; dossier-specific words (names, aliases,
roles, issue keywords) come from the dossier (:mod:`parley.ingest.lexicon`).
"""

from __future__ import annotations

import re

#: Verbs that attribute words or views to a subject ("X said", "said X", "X warned that").
SPEECH_VERBS = """say tell add stress insist warn explain recall note argue hint confirm announce describe
call ask reply respond write tweet declare claim admit acknowledge suggest emphasise emphasize urge
demand vow pledge promise predict caution complain concede contend observe remark reiterate
repeat maintain signal indicate defend propose advocate comment deny assert allege underline
underscore recount lament boast joke quip counter retort mention conclude explain continue
point_out tell express voice insist reject dismiss welcome condemn criticise criticize praise
accuse label brand believe think feel fear hope expect recognise recognize consider say speak""".split()

#: Reporting verbs that carry a stance more than they report words: a quotation near them goes to
#: a plain reporting verb of the same sentence when there is one.
WEAK_SPEECH_VERBS = """reject dismiss welcome condemn criticise criticize praise accuse label brand continue
recognise recognize consider hope expect fear feel""".split()

#: Verbs whose ``that`` clause is a reported statement ("warned that ...", "fear that ...").
THAT_VERBS = """say tell add stress insist warn explain recall note argue hint confirm announce claim admit
acknowledge suggest emphasise emphasize urge demand vow pledge promise predict caution complain
concede contend observe remark reiterate repeat maintain signal indicate propose comment deny
assert allege underline underscore recount lament boast counter retort mention conclude point_out
believe think feel fear hope expect know recognise recognize consider agree decide understand
reveal report""".split()

#: Verbs that report a position with their object ("has ruled out X", "have agreed to Y"); the
#: statement's text starts at the verb (with its auxiliaries), since the verb carries the stance.
OBJECT_VERBS = """rule_out reject demand call_for urge welcome condemn oppose refuse_to agree_to
decide_to pledge_to vow_to promise_to threaten_to offer_to propose insist_on push_for seek_to
plan_to intend_to describe dismiss endorse accuse express warn_of hail praise criticise criticize
deny reaffirm""".split()

#: Irregular forms: lemma -> (third person, past, -ing, past participle).
_IRREGULAR = {
    "say": ("says", "said", "saying", "said"),
    "tell": ("tells", "told", "telling", "told"),
    "write": ("writes", "wrote", "writing", "written"),
    "think": ("thinks", "thought", "thinking", "thought"),
    "know": ("knows", "knew", "knowing", "known"),
    "feel": ("feels", "felt", "feeling", "felt"),
    "seek": ("seeks", "sought", "seeking", "sought"),
    "speak": ("speaks", "spoke", "speaking", "spoken"),
    "understand": ("understands", "understood", "understanding", "understood"),
}
_DOUBLED = {"admit", "quip", "signal", "regret", "commit", "refer", "counsel", "plan"}
_BRITISH_L = {"signal", "counsel"}


def verb_forms(lemma: str) -> list[str]:
    """Every finite and -ing form of a verb lemma; ``point_out`` gives ``points out`` and so on."""
    head, _, particle = lemma.partition("_")
    tail = f" {particle}" if particle else ""
    if head in _IRREGULAR:
        forms = [head, *_IRREGULAR[head]]
    else:
        if head.endswith(("s", "sh", "ch", "x", "z")):
            third = head + "es"
        elif head.endswith("y") and head[-2] not in "aeiou":
            third = head[:-1] + "ies"
        else:
            third = head + "s"
        if head in _DOUBLED:
            stem = head + head[-1]
            past, ing = [stem + "ed"], [stem + "ing"]
            if head in _BRITISH_L:
                past.append(head + "ed")
                ing.append(head + "ing")
        elif head.endswith("e"):
            past, ing = [head + "d"], [head[:-1] + "ing" if not head.endswith("ee") else head + "ing"]
        elif head.endswith("y") and head[-2] not in "aeiou":
            past, ing = [head[:-1] + "ied"], [head + "ing"]
        else:
            past, ing = [head + "ed"], [head + "ing"]
        forms = [head, third, *past, *ing]
    return sorted({f + tail for f in forms}, key=lambda f: (-len(f), f))


def verbs_index(lemmas: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word of every form -> the words that must follow it (longest first).

    ``verbs_index(["rule_out", "say"])["ruled"] == (("out",),)``; ``["said"] == ((),)``. Matching
    words against a dictionary is much faster than a regular expression of hundreds of forms.
    """
    index: dict[str, set[tuple[str, ...]]] = {}
    for lemma in lemmas:
        for form in verb_forms(lemma):
            head, *rest = form.split()
            index.setdefault(head, set()).add(tuple(rest))
    return {head: tuple(sorted(rests, key=len, reverse=True)) for head, rests in index.items()}


SPEECH_INDEX = verbs_index(SPEECH_VERBS)
THAT_INDEX = verbs_index(THAT_VERBS)
OBJECT_INDEX = verbs_index(OBJECT_VERBS)
WEAK_FORMS = frozenset(f for lemma in WEAK_SPEECH_VERBS for f in verb_forms(lemma))
ACCORDING_INDEX = {"according": (("to",),), "in": (("the", "view", "of"), ("the", "words", "of"), ("the", "opinion", "of"))}
#: Say-like verbs that take a clause without "that" ("Lavrov said Russia would ..."); told/tells take an object first.
BARE_FORMS = frozenset(
    "said says say added adds warned warns insisted insists claimed claims believes believe believed thinks think thought argued argues stressed stresses".split()
)
BARE_OBJECT_FORMS = frozenset("told tells".split())
BARE_OPENERS = frozenset("the a an it he she they we there this these those his her their its".split())
FINITE_WORDS = frozenset(
    "is are was were will would can could should must may might had has have did does do won't wouldn't cannot can't isn't wasn't".split()
)
PERSONAL_PRONOUNS = frozenset("he she they we it i".split())
AUX_WORDS = frozenset(
    """has have had is was were are am be been will would could should may might must can did does do also then later again
    once still himself herself themselves itself however already earlier too not never now""".split()
)
DETERMINERS = frozenset("the a an his her their its our my your this these those such any no".split())
#: Possessive noun of a position ("One of Russia's objectives was ...").
POSITION_NOUNS = "objective|objectives|aim|aims|goal|goals|demand|demands|priority|priorities|position|condition|conditions|proposal|plan|intention|wish|red line|red lines"
COPULA = r"(?:is|was|are|were|has\s+been|have\s+been|remains|remained)"

#: Nouns that head a description of a person or body ("the researcher", "a Kremlin spokesman").
ROLE_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson spokespeople official officials diplomat diplomats minister ministers
    president chancellor secretary envoy ambassador adviser advisor aide aides analyst analysts expert experts
    researcher researchers professor scientist commander general leader leaders senator lawmaker lawmakers
    source sources negotiator negotiators representative representatives chief head director governor mayor
    king queen prince premier counterpart mediator observer observers economist historian journalist editor
    correspondent investor investors lawyer judge officer politician deputy emir sheikh monarch ruler
    foreign_minister ministry government administration office embassy agency committee council delegation
    military army presidency party cabinet spokespersons activist activists member members fellow
    strategist commentator author writer director-general secretary-general chairman chairwoman chair
    ceo founder owner executive executives critics opponents supporters protesters residents citizens voters
    mps legislators allies partners rebels separatists soldiers commanders authorities insiders
    people""".replace("_", " ").split()
)

#: Capitalised words that open a sentence without being names.
STOP_CAPS = frozenset(
    """The A An And But Or Nor For Yet So In On At As By To Of From With Without Into Over Under After Before
    While When Whether Where Which Who Whom Whose What Why How Although Though Because Since Unless If
    It Its He She They We I You His Her Their Our My Your This That These Those There Here Then Now
    However Meanwhile Moreover Also Still Even Only Just Both Each Every Either Neither Some Many Most
    Much Few Several All Any No Not One Two Three Four Five Six Seven Eight Nine Ten First Second Last
    Next Another Other Such Said Saying Asked According Despite During Instead Indeed Perhaps Thus Among
    Like Unlike Until Upon Against Between Within Beyond Toward Towards Around Across Through Via Per
    Mr Mrs Ms Dr Prof Sir Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Yesterday Today Tomorrow Earlier Later
    Reporting Editing Writing Additional Photo Video Read Related Advertisement Follow Share Sign Subscribe
    Quote Quotes Details Background Context Update""".split()
)

#: Title words written before a name ("Foreign Minister Sergei Lavrov"): kept as the person's role.
TITLE_WORDS = frozenset(
    """President Vice Prime Minister Foreign Defence Defense Interior Finance Economy Secretary State
    Chancellor Senator Sen Rep Representative General Gen Colonel Col Lieutenant Lt Captain Capt Admiral
    Adm Commander Marshal Ambassador Envoy Special Spokesman Spokeswoman Spokesperson Deputy Chief King
    Queen Prince Princess Crown Emir Sheikh Sultan Pope Cardinal Archbishop Bishop Mr Mrs Ms Miss Dr Prof
    Professor Sir Dame Lord Lady Judge Justice Governor Mayor Speaker Leader Director Chairman Chairwoman
    Chair CEO Minister-President Premier Former Acting Interim Senior National Security Adviser Advisor
    Press Supreme Opposition Party Head Top""".split()
)

#: Words that make a capitalised sequence an organisation, place or thing rather than a person.
ORG_WORDS = frozenset(
    """Council Ministry Party Union Congress Palace Agency News Times Post Committee Bank Group University
    Institute Forum Office Department Government Foundation Company Corp Inc Ltd Alliance Organisation
    Organization Association Service Services Federation Republic Kingdom States Nations Commission
    Parliament Assembly Court Army Forces Force Centre Center School Club Press TV Radio Network Fund
    Relations Affairs Security Defence Defense House Kremlin Square Street Airport Hotel Summit Conference
    Treaty Agreement Accord Plan Review Journal Herald Tribune Gazette Telegraph Guardian Reuters AFP AP
    Bloomberg BBC CNN Associated Media Capital City Province Region Oblast Sea Ocean River Mountains
    Islands Embassy Consulate Senate Duma Rada Cabinet Administration Board Authority Watch International
    Europe Africa Asia America Middle East West North South Pacific Atlantic Arctic Ukraine Russia China
    Airlines Energy Oil Gas Holdings Partners Capital Initiative Coalition Front Movement Brigade""".split()
)

#: Nationality-like adjectives are capitalised words ending like these (Russian, Chinese, British).
NATIONALITY_END = re.compile(r"(?:ian|ean|an|ese|ish|ch|i|ic)$")

#: Site furniture around wire copy and web articles: paragraphs matching it are not read.
#: Whole-line items (navigation, buttons) must be the whole paragraph; prefixes open a line.
BOILERPLATE = re.compile(
    r"\s*(?i:(?:advertisement|sponsored(?:\s+content)?|share(?:\s+this)?(?:\s+(?:article|story|page))?|copy\s+link|menu|search|log\s*in|sign\s+in|register|"
    r"subscribe(?:\s+now)?|newsletters?|trending(?:\s+now)?|most\s+(?:read|popular|viewed)|skip\s+to(?:\s+main)?\s+content|follow\s+us|"
    r"related(?:\s+(?:articles?|stories|content|coverage|topics|news))?|read\s+more|more\s+from\s+.{1,40}|listen(?:\s+to\s+(?:this\s+)?article)?|"
    r"watch(?:\s+live)?|print|email|comments?|recommended|see\s+also|you\s+may\s+also\s+like|home(?:\s*[>›»/|].*)?)\s*:?\s*$"
    r"|(?:reporting\s+by|additional\s+reporting|editing\s+by|writing\s+by|compiled\s+by|our\s+standards|sign\s+up\b|subscribe\s+to|"
    r"get\s+(?:the|our)\s+\w+\s+(?:newsletter|app|briefing)|click\s+here|photo\s*:|image\s*:|video\s*:|caption\s*:|file\s+photo|topics?\s*:|tags?\s*:|"
    r"(?:published|updated|posted|last\s+updated)\s*(?::|on\b|\d)|updated\s+\d+\s+\w+\s+ago|©|\(c\)\s*\d|copyright\b|all\s+rights\s+reserved|"
    r"read\s+more\s*:|related\s*:|see\s+also\s*:))"
    r"|\s*(?i:by)\s+[A-Z][\w.'’-]+(?:\s+(?:(?i:and)\s+)?[A-Z][\w.'’-]+){0,5}\s*(?:,.{0,40})?$"
)
BOILERPLATE_ANYWHERE = re.compile(
    r"all rights reserved|thomson reuters trust principles|opens new tab|sign up here|subscribe to our|cookie policy|privacy policy|terms of (?:use|service)",
    re.IGNORECASE,
)

PRONOUN = re.compile(r"(?<![\w'’-])(?:he|she|they|He|She|They)(?![\w'’-])")
