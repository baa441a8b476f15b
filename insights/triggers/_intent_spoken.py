"""Cue families of spoken paraphrase (see :mod:`._intent_cues`): how people say it aloud.

Interview and focus-group speech seldom says *cancel* or *recommend*: people *pull the
plug*, are *with someone else now*, *hang on with them*, *get their office onto them*,
*slag them off*. Each family is a named pattern (the name becomes a verifier feature),
merged into :data:`._intent_cues.CUES`; :data:`SPOKEN_SELF_NEGATED` are families whose
negation is part of their meaning (*not staying with them* is ``leave``).
"""

from __future__ import annotations

_THEM = r"(?:them|(?-i:[A-Z])[\w-]+)"
_DEAL = r"(?:contract|deal|plan|package|subscription|agreement|account|broadband|landline)"
_OTHER = r"(?:one|lot|provider|supplier|company|firm|network|deal|bank|insurer|operator|crowd|mob)"

SPOKEN: dict[str, list[tuple[str, str]]] = {
    "leave": [
        ("pull_plug", r"\bpull(?:ed|ing)?\s+the\s+plug\b"),
        (
            "end_it",
            r"\b(?:I|we)\s+(?:\w+\s+){0,7}?end(?:ed)?\s+it\s+(?:there|then|with\s+them)\b|"
            r"\bto\s+them\b[^.?!]{0,25}\bto\s+end\s+it\b",
        ),
        (
            "over_to",
            r"\b(?:gone|went|go(?:ing)?|mov(?:e|ed|ing)|come|came|switch(?:ed|ing)?)\s+over\s+to\s+"
            r"(?:(?-i:[A-Z])[\w-]+|another|a\s+(?:different|new|cheaper|smaller)|the\s+(?:new|other)\s+"
            r"(?:\w+\s+)?" + _OTHER + r")\b",
        ),
        (
            "binned",
            r"\b(?:binn(?:ed|ing)|dump(?:ed|ing)?|ditch(?:ed|ing)?|dropp(?:ed|ing))\s+(?:them|"
            r"(?:the|our|my)\s+(?:\w+\s+){0,3}?" + _DEAL + r")\b(?!\s+(?:in|on|at)\b)|"
            r"\bg(?:ot|et)\s+shot\s+of\s+them\b|\bpack(?:ed|ing)?\s+(?:them|it)\s+in\b|"
            r"\bpack(?:ed|ing)?\s+in\s+(?:my|our|his|her|the)\s+(?:\w+\s+)?" + _DEAL + r"\b",
        ),
        (
            "away_from",
            r"\b(?:came|come|coming|got|get|getting|mov(?:e|ed|ing)|tak(?:e|ing|en)\s+(?:\w+\s+){1,2}?)"
            r"\s*away\s+from\s+" + _THEM + r"\b",
        ),
        (
            "someone_else",
            r"\b(?:I|we)(?:'m|'re|'d|'ll|'ve)?\s+(?:[\w',]+\s+){0,5}?(?:(?:be|being|are|am|is|go|going|"
            r"gone|went|move|moved|moving|switch\w*|off)\s+(?:\w+\s+)?(?:with|to)?\s*|found\s+|"
            r"find(?:ing)?\s+)(?:someone|somebody|somewhere|anyone|anybody|anywhere)\s+else\b(?!'s)|"
            r"\b(?:we're|I'm|we\s+are|I\s+am)\s+with\s+(?:someone|somebody)\s+else\b",
        ),
        ("goodbye", r"\b(?:said|say|saying)\s+goodbye\s+to\s+" + _THEM + r"\b"),
        (
            "im_out",
            r"\b(?:I'?m|we're|I\s+am|we\s+are)\s+out\b(?!\s+(?:of|at|all|for|on|in|with|to|and|there|"
            r"here|now|today|tonight|most|a\s+lot|late|again|shopping|walking|somewhere)\b)|"
            r"\bthat's\s+(?:me|us)\s+(?:gone|out|done|off)\b|"
            r"\b(?:I'd|we'd|I'll|we'll|I\s+would|we\s+would)\s+be\s+(?:off|gone|out)\b"
            r"(?!\s+(?:to\s+(?:bed|work|the\s+shops)|work|sick|for|on|at|of)\b)",
        ),
        ("out_the_door", r"\bout\s+the\s+door\b"),
        (
            "going_to_next",
            r"\b(?:who|which\s+one|where)\s+(?:I'm|we're)\s+(?:going|moving|switching)\s+to\b",
        ),
        (
            "not_staying",
            r"\b(?:not|won't|n't)\s+(?:be\s+)?(?:\w+\s+)?stay(?:ing)?\s+(?:on\s+)?with\s+"
            r"(?:them|(?-i:[A-Z])[\w-]+)\b",
        ),
        (
            "get_out",
            r"\bg(?:et|ot|etting)\s+out\s+of\s+(?:the|my|our|this|that|his|her|their)\s+(?:\w+\s+)?"
            + _DEAL
            + r"\b|\buntil\s+(?:I|we)\s+can\s+(?:get\s+out|leave|go)\b",
        ),
        (
            "go_with_other",
            r"\b(?:go(?:ing)?|went|gone|sign(?:ed|ing)?\s+(?:up\s+)?)\s+with\s+(?:a|an|the)\s+"
            r"(?:\w+\s+){0,2}?(?:different|other|new|cheaper|smaller|bigger|local)\s+(?:\w+\s+)?"
            + _OTHER
            + r"\b|\b(?:go(?:ing)?|went|gone|sign(?:ed|ing)?\s+(?:up\s+)?)\s+with\s+"
            r"(?:another|a\s+different)\b",
        ),
        (
            "find_new",
            r"\bfind(?:ing)?\s+(?:a|another)\s+(?:new\s+)?(?:provider|supplier|company|network|"
            r"bank|insurer)\b|\blook(?:ing)?\s+for\s+a\s+new\s+one\b",
        ),
        (
            "cant_see_with",
            r"\bcan't\s+see\s+(?:us|myself|me)\s+(?:still\s+)?(?:being\s+)?with\s+them\b",
        ),
        (
            "jump",
            r"\b(?:I'll|I'd|we'll|we'd|I\s+will|I\s+would)\s+jump\b(?!\s+(?:in|on|at|up))|"
            r"\bjump(?:ed|ing)?\s+ship\b",
        ),
        ("them_finished", r"\bthat's\s+them\s+(?:finished|done|gone)\b"),
        (
            "not_customer",
            r"\bnot\s+(?:really\s+)?(?:their|a)\s+customer\s+any\s*more\b|\bex-customer\b",
        ),
    ],
    "stay": [
        (
            "another_term",
            r"\b(?:another|a\s+further|an\s+extra)\s+(?:\w+\s+)?(?:years?|months)\s+with\s+them\b|"
            r"\b(?:went|go|going)\s+for\s+another\s+(?:\w+\s+)?(?:years?|months|contract|term)\b|"
            r"\bsign(?:ed|ing)?\s+(?:up\s+)?for\s+another\s+(?:\w+\s+)?(?:years?|months|contract)\b|"
            r"\bre-?upp?(?:ed|ing)?\b",
        ),
        (
            "keep_them",
            r"\b(?:I|we|I'll|we'll|I'd|we'd|he|she|they)\s+(?:\w+\s+){0,3}?(?:kept|keep|keeping)\s+"
            r"(?:them(?=\s*[,.!;?]|\s*$|\s+(?:for\s+(?:now|life|good|years)|on|then|in\s+the\s+end|"
            r"and\s+(?:I|we)|because|though)\b)|(?:the|my|our|his|her)\s+(?:\w+\s+)?(?:package|"
            r"contract|deal|plan|subscription|account|broadband)|paying\s+for\s+it)\b",
        ),
        (
            "customers_since",
            r"\b(?:I've|we've|I\s+have|we\s+have)\s+been\s+(?:a\s+|their\s+)?customers?\s+"
            r"(?:since|for)\b",
        ),
        (
            "carry_on",
            r"\b(?:happy|going|plan(?:ning)?|want)\s+to\s+carry\s+on\b|\b(?:I'll|we'll)\s+carry\s+on\b",
        ),
        (
            "long_haul",
            r"\bwith\s+them\s+for\s+(?:the\s+long\s+haul|life|good)\b|\bhave\s+(?:me|us)\s+for\s+life\b",
        ),
        (
            "hang_on",
            r"\b(?:hang(?:ing)?|hung|hold(?:ing)?|held)\s+on\s+(?:with|to)\s+them\b|"
            r"\b(?:we|I)\s+(?:\w+\s+)?hung\s+on\b|\bstick(?:ing)?\s+it\s+out\s+with\s+them\b",
        ),
        (
            "renewing",
            r"\b(?:I'll|we'll|I\s+will|we\s+will|I'd|we'd)\s+be\s+renewing\b|"
            r"\bwe'll\s+(?:\w+\s+)?renew\b",
        ),
        (
            "wont_budge",
            r"\b(?:won't|wouldn't|will\s+not)\s+budge\b|\bwon't\s+hear\s+of\s+leaving\b",
        ),
        ("stayed_in_end", r"\bstay(?:ed)?\s+(?:on\s+)?in\s+the\s+end\b"),
        ("get_rid_of_me", r"\bharder\s+(?:than\s+that\s+)?to\s+get\s+rid\s+of\s+(?:me|us)\b"),
        ("happy_where", r"\bhappy\s+where\s+(?:I|we)\s+am\b"),
    ],
    "recommend": [
        (
            "got_onto",
            r"\b(?:talked|talk|talking|got|get|getting|persuaded|convinced)\s+(?:\w+\s+){1,3}?"
            r"(?:into\s+(?:joining|signing|switching|getting)|onto\s+them)\b",
        ),
        ("their_way", r"\bsen[dt]\s+(?:\w+\s+){1,3}?their\s+way\b"),
        (
            "everyone_should",
            r"\b(?:everyone|everybody|anyone|people)\s+should\s+(?:be\s+with|try|get|go\s+with|join|"
            r"switch\s+to)\s+(?:them|(?-i:[A-Z])\w+)\b",
        ),
        (
            "say_go_with",
            r"\b(?:say|said|tell|told|telling)\s+(?:\w+\s+){0,3}?(?:to\s+)?(?:go\s+(?:with|for)\s+them|"
            r"get\s+(?:them|(?-i:[A-Z])\w+)(?=\s*[,.!;]|\s*$|\s+(?:too|as\s+well|instead)\b)|"
            r"try\s+them|join\s+them)\b",
        ),
        (
            "push_towards",
            r"\b(?:push(?:ing)?|point(?:ing)?|steer(?:ing)?)\s+(?:\w+\s+){0,2}?(?:towards|to|their\s+way)"
            r"\s+them\b|\bpoint\s+them\s+straight\s+to\b",
        ),
        (
            "praise",
            r"\bswe(?:ar|ars|ore)\s+(?:by\s+them|they\s+(?:were|are)\s+the\s+best)\b|"
            r"\brav(?:e|ed|ing)\s+about\s+them\b|\bsing(?:ing)?\s+their\s+praises\b|"
            r"\bbanging\s+on\s+about\s+them\b|\bvouch\s+for\s+them\b",
        ),
    ],
    "warn_others": [
        (
            "dont_touch",
            r"\bdon'?t\s+(?:sign\s+(?:up\s+)?with|touch|go\s+near|bother\s+with)\s+them\b|"
            r"\b(?:nobody|no\s+one)\s+(?:\w+\s+){0,3}(?:goes|go|going)\s+(?:near|with)\s+them\b|"
            r"\bnever\s+let\s+any(?:one|body)\b[^.?!]{0,30}\bgo\s+with\s+them\b",
        ),
        (
            "slag_off",
            r"\bslag(?:g(?:ing|ed))?\s+them\s+off\b|\bbad-?mouth(?:ing|ed)?\s+them\b|"
            r"\bput\s+(?:\w+\s+){0,2}off\s+them\b",
        ),
        ("avoid_avoid", r"\bavoid,?\s+avoid\b|\bwouldn't\s+wish\s+them\s+on\b"),
        (
            "so_others_know",
            r"\bso\s+(?:nobody|no\s+one|others?|other\s+people|people)\s+(?:else\s+)?"
            r"(?:gets?\s+(?:caught|stung|ripped\s+off)|knows?)\b|"
            r"\bdidn't\s+make\s+the\s+same\s+mistake\b",
        ),
        (
            "say_steer_clear",
            r"\b(?:say|said|saying)\s+(?:\w+,?\s+){0,3}(?:to\s+)?(?:steer\s+(?:well\s+)?clear|"
            r"avoid\s+them|keep\s+(?:well\s+)?away|stay\s+(?:well\s+)?away)\b",
        ),
    ],
}
#: spoken families whose match starts at the subject, so a negation inside the match
#: counts ("I can't imagine being with anyone else" is ``stay``).
SPOKEN_NEG_INSIDE = {"someone_else"}
#: spoken families whose negation is part of their meaning.
SPOKEN_SELF_NEGATED = {"not_staying", "cant_see_with", "not_customer", "wont_budge",
                       "dont_touch", "avoid_avoid", "so_others_know"}  # fmt: skip
