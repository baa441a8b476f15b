"""A labelled set for pseudonymisation, written here (no eval data): interview transcripts.

Sixteen short interviews in the shapes real ones take: a participant sheet that
names the participant, an interviewer named in study.yaml, and people, e-mail
addresses and phone numbers mentioned in running text (UK, US and international
formats; names that are also common words: Will, Rose, Grace, Bill, Mark, Summer,
Frank, Hope; names in speaker labels and in the talk). Every mention to be
redacted is labelled ``(kind, text, start)``; everything else must stay.

Interviews 0-7 are the tuning half (the redactor was improved on its errors);
8-15 are held out (their errors were never read before the figures were taken).

Run ``python benchmarks/redaction_eval.py``.
"""

from __future__ import annotations

import random

#: (participant name, interviewer name, third parties, phones, e-mails) per interview
_PEOPLE = [
    ("Sarah Whitfield", "Tom Baker", ["Will", "Dave"], ["07700 900123", "+44 20 7946 0958"]),
    ("Rose Okafor", "Priya Shah", ["Grace", "Kevin Marsh"], ["(555) 123-4567", "020 7946 0018"]),
    ("Mark Jennings", "Ellen Cho", ["Bill", "Auntie Joan"], ["+1 415 555 0132", "0161 496 0754"]),
    ("Summer Adeyemi", "Tom Baker", ["Frank", "Lisa"], ["+33 1 23 45 67 89", "07911 123456"]),
    ("Hope Nakamura", "Priya Shah", ["Jack", "Mrs Patel"], ["555.867.5309", "+49 30 12345678"]),
    ("Daniel Reyes", "Ellen Cho", ["Rose", "Steve"], ["+91 98765 43210", "(0113) 496 0123"]),
    ("Grace Lindqvist", "Tom Baker", ["Mark", "Nadia"], ["+61 2 9876 5432", "212-555-0147"]),
    ("Will Thornton", "Priya Shah", ["Hope", "Oliver Grant"], ["0800 123 4567", "+353 1 234 5678"]),
    # held out
    ("Faith Mbeki", "Ruth Allen", ["Sunny", "Gary"], ["07400 123456", "+44 161 496 0000"]),
    ("Drew Kowalski", "Sam Idris", ["Dawn", "Marcus Lee"], ["(646) 555-0199", "01632 960961"]),
    ("Joy Harrington", "Ruth Allen", ["Frank", "Uncle Bob"], ["+1 312 555 0178", "029 2018 0123"]),
    ("Bill Osei", "Sam Idris", ["Summer", "Claire"], ["+34 612 34 56 78", "07700 900456"]),
    ("Amber Castillo", "Ruth Allen", ["Jack", "Ian Fowler"], ["303.555.0110", "+39 06 1234 5678"]),
    ("Mark Obi", "Sam Idris", ["Grace", "Helen"], ["+81 3 1234 5678", "0117 496 0999"]),
    ("Rose Delaney", "Ruth Allen", ["Will", "Tariq"], ["+27 21 123 4567", "(212) 555-0188"]),
    ("Frank Müller", "Sam Idris", ["Hope", "Sinead Byrne"], ["+49 89 1234567", "07911 654321"]),
]
_TITLES = {"Mrs", "Mr", "Auntie", "Uncle", "Dr"}
_DOMAINS = ["gmail.com", "outlook.co.uk", "yahoo.com", "kestrel-fibre.co.uk", "btinternet.com"]

#: sentences with slots: {p} participant first name, {pf} full name, {i} interviewer
#: first name, {x} a third party, {y} the other, {ph} a phone, {em} an e-mail
_INTERVIEWER = [
    "Thanks for joining, {p}. I'm {i} and I'll be asking the questions today.",
    "So {p}, tell me how the move to the new plan went.",
    "You mentioned {x}. Who is {x}?",
    "And how did you get in touch with them?",
    "Would you recommend us to a friend? \x01Will you stay with us?",
    "Is there anything else before we finish?",
]
_PARTICIPANT = [
    "Hi {i}, happy to help. It was a bit of a saga, honestly.",
    "My partner {x} will tell you the router dropped every evening.",
    "I rang {ph} three times and finally spoke to {y}, who was brilliant.",
    "They sent the confirmation to {em} but it went to spam.",
    "{x} is my neighbour, she had the same problem with the app.",
    "I will say the price is fair, and the engineer was on time.",
    "If it happens again I'll call {ph} and ask for {y} by name.",
    "My old number was {ph2}, in case that's on file.",
    "You can e-mail me at {em} or {em2} if you need more.",
    "I hope it keeps working; grace under pressure from the support team, I'd say.",
    "We had a lovely summer until the line went down, then it was a bill every month.",
    "Frankly, mark my words, I'd still recommend it. \x01Summer is our busy season.",
]


#: the held-out half is written in other words, so that cues tuned on the first half
#: are measured on sentences they were not made from
_INTERVIEWER_HELD = [
    "Hello {p}, my name is {i}, thanks for making the time.",
    "Can you walk me through what happened after you switched, {p}?",
    "Who's {x}, sorry?",
    "How did you reach the help desk in the end?",
    "Would you stay with us? \x01Hope you don't mind me asking.",
    "Last one: anything we haven't covered?",
]
_PARTICIPANT_HELD = [
    "No problem {i}, glad to. It's been a mixed experience.",
    "{x} does all the tech stuff at home, so {x} noticed first.",
    "In the end a lady called {y} sorted it, after I dialled {ph}.",
    "Everything goes to {em}, that's my main address.",
    "My brother-in-law {x} works nights and the line kept dropping for him.",
    "Their number, {ph2}, was engaged for an hour.",
    "Write to {em2} as well, my daughter reads it.",
    "{y} rang me back the next morning, which I didn't expect.",
    "It was joy to get it fixed, though the bill went up again.",
    "\x01Dawn visits were the worst, the engineer came at 7 in the morning.",
    "I'd give them a seven out of ten, to be frank.",
    "\x01Will it last? I doubt it, but I'm hopeful.",
]


def _email(rng: random.Random, name: str) -> str:
    first, *rest = name.lower().replace("ü", "u").split()
    last = rest[-1] if rest else "x"
    shape = rng.choice(["{f}.{l}", "{f}{l}{n}", "{f}_{l}", "{f0}{l}"])
    local = shape.format(f=first, l=last, n=rng.randint(1, 99), f0=first[0])
    return f"{local}@{rng.choice(_DOMAINS)}"


def interviews() -> list[dict]:
    """The labelled interviews: participant, interviewer, turns, and the mentions to redact."""
    out = []
    for k, (part, interviewer, others, phones) in enumerate(_PEOPLE):
        rng = random.Random(k)
        p_first, i_first = part.split()[0], interviewer.split()[0]
        x, y = others
        x_name, y_name = (" ".join(w for w in v.split() if w not in _TITLES) for v in others)
        emails = [_email(rng, part), _email(rng, y if " " in y else f"{y} Smith")]
        slots = {
            "p": p_first,
            "pf": part,
            "i": i_first,
            "x": x,
            "y": y,
            "ph": phones[0],
            "ph2": phones[1],
            "em": emails[0],
            "em2": emails[1],
        }
        turns = []
        asks, answers = (
            (_INTERVIEWER_HELD, _PARTICIPANT_HELD) if k >= 8 else (_INTERVIEWER, _PARTICIPANT)
        )
        for n in range(6):
            q = asks[n].format(**slots)
            turns.append((interviewer, q))
            picks = rng.sample(answers, 2) if n else [answers[0]]
            turns.append((part, " ".join(s.format(**slots) for s in picks)))
        entities = []
        for speaker, text in turns:
            ents = [("name", speaker, -1)]  # the speaker label itself (start -1)
            for kind, value in (
                ("name", p_first),
                ("name", i_first),
                ("name", x_name),
                ("name", y_name),
                ("phone", phones[0]),
                ("phone", phones[1]),
                ("email", emails[0]),
                ("email", emails[1]),
            ):
                start = 0
                while (j := text.find(value, start)) >= 0:
                    before = text[j - 1] if j else " "
                    after = text[j + len(value)] if j + len(value) < len(text) else " "
                    # \x01 marks a capitalised common word that is not a name
                    if not before.isalnum() and not after.isalnum() and before not in "@\x01":
                        ents.append((kind, value, j - text[:j].count("\x01")))
                    start = j + len(value)
            entities.append(ents)
        turns = [(sp, t.replace("\x01", "")) for sp, t in turns]
        out.append(
            {
                "id": k,
                "participant": part,
                "interviewer": interviewer,
                "turns": turns,
                "entities": entities,
                "held_out": k >= 8,
            }
        )
    return out
