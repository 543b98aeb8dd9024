"""Event types and certainty from a sentence's words.

Each type has a few general cue patterns (verbs and nouns of that kind of
claim); a sentence may carry several types. Certainty: forecast cues
(expected, plans, aims, will, projected) and opinion cues (judging words,
quoted views) are looked for across the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RULES: list[tuple[str, str]] = [
    ("funding", r"\braised\b|\braises\b|\bfunding round\b|\bfunding\b|\bseries [a-f]\b|\bseed round\b|\bbacked by\b|\binvest(?:ed|ment) (?:of|from|in)\b"),
    ("valuation", r"\bvaluation\b|\bvalued at\b"),
    ("revenue", r"\brevenue\b|\bARR\b|\bannual(?:ized)? recurring\b|\bsales of\b"),
    ("ipo", r"\bIPO\b|\bwent public\b(?! with (?:its|their|the|a)\b)|\bgo public\b|\bpublic listings?\b|\blisted (?:on|in)\b|\binitial public offering\b|\bfirst-day gains?\b"),
    ("talent_move", r"\bjoined\b|\bhired\b|\bpoached\b|\bappointed\b|\bbecame [\w’']+ (?:chief|CEO|CTO|head|president|vice)|\bleft [A-Z]\w+ (?:for|to join)\b|\bdeparted\b"),
    ("user_count", r"\b(?:monthly|daily|weekly) active users\b|\bMAUs?\b|\bDAUs?\b|\bmillion users\b|\busers\b"),
    ("usage_share", r"\baccount(?:s|ed)? for\b|\bshare\b|\bconstitut\w+\b|\bof (?:all|global|new)\b|\bpercent of\b|% of\b"),
    ("downloads", r"\bdownloads?\b|\bdownloaded\b"),
    ("training_cost", r"\bto train\b|\btraining costs?\b|\bcost(?:s)? (?:under|less than|only|just)?\s*\$"),
    ("price", r"\bper million (?:input |output )?tokens\b|\bpric(?:e|es|ed|ing)\b|\bcharges?\b|\bAPI access\b|\bcheaper\b|\b(?:lower|inference|API|usage) costs?\b"),
    ("market_reaction", r"\bstocks?\b|\bsell-?off\b|\bmarket value\b|\bmarket cap\w*\b|\bshares (?:fell|rose|plunged|jumped)\b|\bwip(?:ed|ing)\b|\berased\b|\bNasdaq\b|\b(?:global|financial|stock|equity) markets?\b"),
    ("policy", r"\bpolicy\b|\bpolicies\b|\bregulat\w+\b|\bexport (?:control|restriction|ban)s?\b|\bban(?:ned|s)?\b|\bmandat\w+\b|\ballow(?:ed|s)? [\w ]*sales\b|\blaw\b|\bsanction\w*\b|\bsubsid\w+\b|\bdraft\b"),
    ("chip_hardware", r"\bchips?\b|\bGPUs?\b|\bsemiconductors?\b|\bsupernode\b|\bprocessors?\b|\baccelerators?\b"),
    ("infrastructure", r"\bdata cent(?:er|re)s?\b|\bsupercluster\b|\bEFLOPS\b|\bcompute cluster\b|\b(?:GW|MW|gigawatts?|megawatts?)\b"),
    ("app_ranking", r"\bApp Store\b|\bapp stores?\b|\btop of [\w ]*charts\b|\bmost downloaded (?:free )?app\b|\bchart\w*\b"),
    ("license", r"\blicen[cs]e[ds]?\b|\b(?:MIT|Apache)\b(?! (?:study|researchers?|professor|report|survey)\b)"),
    ("partnership", r"\bpartner(?:ed|ing|s|ships?)?\b|\bcollaborat\w+\b|\bteamed up\b|\balliance\b|\bjoint venture\b"),
    ("benchmark_claim", r"\boutperform\w*\b|\bsurpass\w*\b|\bmatch(?:ed|ing|es)?\b|\bbeat(?:s|ing)?\b|\bbenchmarks?\b|\bleaderboards?\b|\bparity\b|\brivals?\b|\bon par\b|\bexceed\w*\b|\bscores?\b"),
    ("research_output", r"\bpapers?\b|\bpatents?\b|\bpublished (?:a|its|their)\b|\btechnical report\b|\bresearch\b"),
    ("product_launch", r"\b(?:launch\w*|relaunch\w*|rolled out|introduc\w+)\b[^.]*\b(?:app|application|agent|chatbot|assistant|product|platform|service|glasses|phone|robot|humanoid)s?\b"),
    ("model_release", r"\breleas(?:e|ed|es|ing)\b|\blaunch(?:ed|es|ing)?\b|\bunveil\w*\b|\bintroduc\w+\b|\bopen-sourced\b|\bdebut\w*\b|\brolled out\b|\bshipped\b|\bintroduction of\b"),
]
_COMPILED = [(kind, re.compile(pattern, re.I if kind not in ("license",) else 0)) for kind, pattern in _RULES]

_FORECAST = re.compile(
    r"\b(?:expected to|is expected|are expected|projected|forecast\w*|plans? to|plans\b|planning to|aims? (?:to|for)"
    r"|will (?!be seen as)|is set to|are set to|likely to|poised to|looking ahead|next-generation \w+ (?:is|are) due"
    r"|anticipat\w+ to|intends? to|targets?\b|by 20[3-9]\d)\b", re.I)
_OPINION = re.compile(
    r"\b(?:arguably|perhaps|defining|remarkabl\w+|unprecedented|I think|we think|believes?|in (?:my|our) view"
    r"|stands? out|moment of|democratiz\w+|politically correct|hinges on|cautions?|argues?|shows? that|proving that"
    r"|should|must|may be|could|would|signifies|effectively|viable|real constraints|the (?:most|best) \w+ (?:way|option)"
    r"|it is setting|major drivers?|revealing)\b|[“\"][^”\"]{3,}[”\"]", re.I)


#: The words that give a claim a stance other than asserted, strongest first (a negation
#: outweighs a hedge: "reportedly delayed" is delayed).
_STANCES = (
    ("denied", re.compile(r"\b(?:denied|denies|deny|dismissed|refuted|rejected (?:reports|claims))\b", re.I)),
    ("delayed", re.compile(r"\b(?:delay\w*|postpone\w*|pushed back|held back|put on hold|stalled)\b", re.I)),
    ("reportedly", re.compile(r"\b(?:reportedly|is said to|are said to|according to (?:reports|sources|people)"
                              r"|sources (?:say|said)|rumou?r\w*|allegedly|not (?:been )?independently verified)\b",
                              re.I)),
    ("claimed", re.compile(r"\b(?:claim\w*|(?:the company|the firm|the lab|the startup) (?:says|said))\b", re.I)),
    ("anticipated", re.compile(r"\b(?:anticipat\w+|plans? to|planning to|intends? to|is expected to|are expected to"
                               r"|is set to|are set to|poised to)\b", re.I)),
)


def stance(sentence: str) -> str:
    """How a sentence's words stand behind its claim (see ``chronicle.events.STANCES``)."""
    for name, regex in _STANCES:
        if regex.search(sentence):
            return name
    return "asserted"


@dataclass(frozen=True, slots=True)
class Cue:
    """A type and the words of the sentence that suggested it (offsets in the sentence)."""

    type: str
    start: int
    end: int


def classify(sentence: str) -> list[Cue]:
    """The event types a sentence suggests, each with its first cue, in rule order."""
    cues: list[Cue] = []
    for kind, regex in _COMPILED:
        m = regex.search(sentence)
        if m is not None:
            cues.append(Cue(kind, m.start(), m.end()))
    return cues


def certainty(sentence: str) -> str:
    """``forecast``, ``opinion`` or ``reported``, from the sentence's words."""
    if _FORECAST.search(sentence):
        return "forecast"
    if _OPINION.search(sentence):
        return "opinion"
    return "reported"
