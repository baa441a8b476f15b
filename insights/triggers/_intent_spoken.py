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
_OTHER = (
    r"(?:one|lot|provider|supplier|company|firm|network|deal|bank|insurer|operator|crowd|mob|"
    r"outfit)"
)

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
            r"\b(?:gone|went|go(?:ing)?|mov(?:e|ed|ing)|come|came|switch(?:ed|ing)?)\s+(?:over|across)"
            r"\s+to\s+"
            r"(?:(?-i:[A-Z])[\w-]+|another|a\s+(?:different|new|cheaper|smaller)|the\s+(?:new|other)\s+"
            r"(?:\w+\s+)?" + _OTHER + r")\b",
        ),
        (
            "binned",
            r"\b(?:binn(?:ed|ing)|dump(?:ed|ing)?|ditch(?:ed|ing)?|dropp(?:ed|ing))\s+(?:them|"
            r"(?:the|our|my)\s+(?:\w+\s+){0,3}?" + _DEAL + r")\b(?!\s+(?:in|on|at)\b)|"
            r"\bg(?:ot|et)\s+shot\s+of\s+(?:them|(?-i:[A-Z])[\w-]+)\b|"
            r"\bknock(?:ed|ing)?\s+(?:them|(?:the\s+)?(?-i:[A-Z])[\w-]+|(?:the|my|our)\s+(?:\w+\s+)?"
            + _DEAL
            + r")\s+on\s+the\s+head\b|"
            r"\bpack(?:ed|ing)?\s+(?:them|it)\s+in\b|"
            r"\bpack(?:ed|ing)?\s+in\s+(?:my|our|his|her|the)\s+(?:\w+\s+)?" + _DEAL + r"\b",
        ),
        (
            "away_from",
            r"\b(?:came|come|coming|got|get|getting|mov(?:e|ed|ing)|tak(?:e|ing|en)\s+(?:\w+\s+){1,2}?)"
            r"\s*away\s+from\s+" + _THEM + r"\b|\bmov(?:e|ed|ing)\s+(?:\w+\s+){1,3}?off\s+them\b",
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
            r"(?:them|(?-i:[A-Z])[\w-]+)\b|\b(?:won't|will\s+not|not\s+going\s+to)\s+be\s+with\s+"
            r"(?:them|(?-i:[A-Z])[\w-]+)\s+(?:this\s+time|next|by|much\s+longer|for\s+long)\b",
        ),
        (
            "get_out",
            r"\b(?:g(?:et|ot|etting)|pull(?:ed|ing)?\s+(?:\w+\s+){0,2}?)\s*out\s+of\s+(?:the|my|our|this|"
            r"that|his|her|their)\s+(?:\w+\s+)?(?:nursery|school|club|"
            + _DEAL[3:-1]
            + r")"
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
            r"\bf(?:ind(?:ing)?|ound)\s+(?:myself\s+|ourselves\s+|us\s+)?(?:a|another)\s+(?:new\s+|"
            r"different\s+|better\s+)?(?:provider|supplier|company|network|bank|insurer|dentist|vet|"
            r"garage|accountant|hairdresser|nursery|gym|practice|broker)\b|\blook(?:ing)?\s+for\s+a\s+new\s+one\b",
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
            r"\bnot\s+(?:really\s+)?(?:their|a)\s+customer\s+any\s*more\b|\bex-customer\b|"
            r"\b(?:I'm|I\s+am|we're|we\s+are)\s+(?:a\s+)?(?:no\s+longer\s+(?:a\s+|their\s+)?|"
            r"(?:a\s+)?former\s+)customers?\b",
        ),
        ("pac_code", r"\b(?:PAC|STAC)\s+code\b"),
        (
            "was_gone",
            r"\b(?:I|we)\s+(?:was|were)\s+gone\b|\b(?:I'm|I\s+am|we're)\s+gone\b(?!\s+(?:for|on|at))",
        ),
        (
            "else_now",
            r"\bwith\s+(?:someone|somebody)\s+else\s+now\b|\b(?:we're|I'm|we\s+are|I\s+am)\s+with\s+"
            r"a\s+(?:new|different|another)\s+(?:\w+\s+)?" + _OTHER + r"\s+now\b",
        ),
        (
            "to_rival",
            r"\b(?:sign(?:ed|ing)?\s+up|went|gone|go(?:ing)?|mov(?:e|ed|ing)|swapp?(?:ed|ing)?)\s+"
            r"(?:over\s+)?(?:to|with)\s+(?:the|a)\s+(?:rival|competitor|competition)\b|"
            r"\bswapp?(?:ed|ing)?\s+(?:over\s+)?to\s+(?:a\s+(?:different|new|cheaper)|another)\s+"
            r"(?:\w+\s+)?" + _OTHER + r"\b",
        ),
        (
            "want_out",
            r"\b(?:I|we)\s+(?:just\s+|really\s+)?want(?:ed)?\s+out\b"
            r"(?!\s+of\s+(?:this|it|that|life|them)\b(?!\s+(?:\w+\s+)?(?:contract|deal|plan|package)))",
        ),
        ("im_walking", r"\b(?:I'm|I\s+am|we're|we\s+are)\s+walking\b(?=\s*[,.!;]|\s*$)"),
        (
            "heartbeat",
            r"\b(?:move|go|switch|leave|jump)\s+(?:\w+\s+)?(?:in\s+a\s+heartbeat|like\s+a\s+shot)\b",
        ),
        (
            "cancelled_outright",
            r"\bcancel(?:l?ed|l?ing)?\s+it\s+(?:there\s+and\s+then|on\s+the\s+phone|outright|all|"
            r"straight\s+away|in\s+the\s+end)\b|\bcancel(?:l?ed|l?ing)?\s+the\s+(?:lot|whole\s+thing)\b",
        ),
        (
            "back_to_old",
            r"\b(?:gone|went|go(?:ing)?|mov(?:e|ed|ing)|switch(?:ed|ing)?)\s+back\s+to\s+(?:our|my|the)"
            r"\s+(?:old|previous|last)\s+(?:\w+\s+)?" + _OTHER + r"\b",
        ),
        ("us_left", r"\b(?:of\s+us|we\s+all)\s+(?:just\s+)?left\b(?!\s+(?:the|early|at|for)\b)"),
    ],
    "stay": [
        (
            "dream_of_leaving",
            r"\b(?:wouldn't|would\s+never|never)\s+dream\s+of\s+(?:leaving|moving|switching|"
            r"cancell?ing|going\s+(?:anywhere|elsewhere))\b",
        ),
        (
            "another_term",
            r"\b(?:another|a\s+further|an\s+extra)\s+(?:\w+\s+)?(?:years?|months)\s+with\s+them\b|"
            r"\b(?:went|go|going)\s+for\s+another\s+(?:\w+\s+)?(?:years?|months|contract|term)\b|"
            r"\bsign(?:ed|ing)?\s+(?:up\s+|on\s+)?for\s+another\s+(?:\w+\s+)?(?:years?|months|contract)\b|"
            r"\bextend(?:ed|ing)?\s+(?:the|my|our)\s+(?:\w+\s+){0,2}?(?:lease|contract|membership|policy|"
            r"plan|subscription|deal)\s+for\s+another\b|"
            r"\bre-?upp?(?:ed|ing)?\b",
        ),
        (
            "keep_them",
            r"(?:\b(?:I|we|I'll|we'll|I'd|we'd|he|she|they)\s+|(?<=friends\s)|(?<=mates\s)|"
            r"(?<=neighbours\s))(?:\w+\s+){0,3}?"
            r"(?:kept|keep|keeping)\s+"
            r"(?:them(?=\s*[,.!;?]|\s*$|\s+(?:for\s+(?:now|life|good|years)|on|then|in\s+the\s+end|"
            r"and\s+(?:I|we)|because|though)\b)|(?:the|my|our|his|her|their)\s+(?:\w+\s+)?(?:package|"
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
        ("got_me", r"\bthey've\s+got\s+(?:me|us)\b(?=\s*[,.!;]|\s*$|\s+for\s+(?:life|good))"),
        (
            "still_customer",
            r"\b(?:I'm|we're|I\s+am|we\s+are)\s+still\s+(?:a\s+|their\s+)?customers?\b|"
            r"(?:^|[.!?]\s*)still\s+a\s+member\b|\b(?:I'm|we're|I\s+am|we\s+are)\s+still\s+a\s+member\b",
        ),
        (
            "nearly_left",
            r"\b(?:thought\s+about|considered|nearly|almost|was\s+going\s+to|were\s+going\s+to)\s+"
            r"(?:\w+\s+)?(?:cancel\w*|leav(?:e|ing)(?!\s+(?:a|an)\s)|left|switch\w*|mov(?:e|ed|ing))\b[^.?!]{0,40}?"
            r"\bbut\b[^.?!]{0,30}?\b(?:didn't|did\s+not|stayed|kept|decided\s+not|they\s+sorted|"
            r"changed\s+my\s+mind|talked\s+me\s+round)",
        ),
        (
            "been_renewing",
            r"\b(?:I've|we've|I\s+have|we\s+have)\s+(?:been\s+renewing|renewed)\b",
        ),
    ],
    "recommend": [
        (
            "got_onto",
            r"\b(?:talked|talk|talking|got|get|getting|persuaded|convinced|pushed|pushing)\s+"
            r"(?:\w+\s+){1,3}?(?:into\s+(?:joining|signing|switching|getting)|onto\s+(?:them|"
            r"(?:the|that|this|their|our|my)\s+(?:[\w-]+\s+){0,2}?(?:app|service|deal|plan|"
            r"broadband|gym|bank|meal\s+kit|box|delivery|scheme|tariff|insurance)))\b",
        ),
        (
            "their_way",
            r"\bsen[dt]\s+(?:\w+\s+){1,3}?their\s+way\b|\bpoint(?:ing|ed)?\s+(?:\w+\s+){1,2}?their\s+way\b|"
            r"\bsen[dt]\s+(?:him|her|them|(?:my|our|a\s+couple\s+of|half\s+(?:the|my))\s+\w+)\s+"
            r"(?:straight\s+)?to\s+(?:that|the\s+same|mine|ours|my|our)\b",
        ),
        (
            "cant_go_wrong",
            r"(?:(?<=n't\s)|(?<=cannot\s)|(?<=never\s))go\s+wrong\s+with\s+(?:them|(?-i:[A-Z])\w+)\b|"
            r"\bbang(?:ing|ed)?\s+the\s+drum\s+for\b|"
            r"\b(?:I'd|I\s+would|I'll|I)\s+(?:\w+\s+)?sen[dt]\s+(?:him|her|them|people|anyone|friends)\s+"
            r"(?:there|to\s+them)\b",
        ),
        (
            "everyone_should",
            r"\b(?:everyone|everybody|anyone|people)\s+should\s+(?:be\s+with|try|get|go\s+with|join|"
            r"switch\s+to)\s+(?:them|(?-i:[A-Z])\w+)\b",
        ),
        (
            "say_go_with",
            r"\b(?:say|said|tell|told|telling)\s+(?:\w+\s+){0,3}?(?:to\s+)?(?:go\s+(?:with|for)\s+them|"
            r"go\s+with\s+(?:these|those|this)\s+(?:guys|lot|people)|get\s+(?:them|(?-i:[A-Z])\w+)(?=\s*[,.!;]|\s*$|\s+(?:too|as\s+well|instead)\b)|"
            r"try\s+them|join\s+them)\b|"
            r"\bgo\s+with\s+them\b[^.?!]{0,30}\b(?:what\s+I(?:'d|\s+would)\s+(?:say|tell)|I(?:'d|\s+would)\s+say)\b",
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
            r"\bbanging\s+on\s+about\s+(?:them|(?:that|the|this)\s+(?:\w+\s+)?\w+\s+to\s+(?:anyone|"
            r"everyone|people))\b|\bvouch(?:ed)?\s+for\s+(?:them|(?:the|that)\s+\w+\s+to\s+(?:any|every)\w*)\b|"
            r"\bput\s+them\s+forward\s+to\s+(?:anyone|everyone|people)\b",
        ),
        (
            "got_to_join",
            r"\bg(?:ot|et|etting)\s+(?:my\s+)?\w+(?:\s+\w+)?\s+to\s+(?:sign\s+up|join|switch\s+(?:to|over)|"
            r"go\s+with\s+them|try\s+them)\b|\bsign(?:ed)?\s+(?:my|our|his|her)\s+\w+\s+up\s+"
            r"(?:with|to|for)\s+(?:them|(?-i:[A-Z])\w+)\b|\bg(?:ot|et)\s+them\s+all\s+to\s+(?:switch|"
            r"join|sign\s+up)\b(?!\s+off)",
        ),
        (
            "they_should_get",
            r"\b(?:tell(?:ing)?|told|say(?:ing)?)\s+(?:\w+\s+){0,6}?(?:they|you)\s+should\s+(?:get|try|join|"
            r"go\s+with|sign\s+up|switch)\s+(?:it|them|to\s+them|[A-Z]\w+)?\b",
        ),
        ("say_them", r"\b(?:I'd|I\s+would|I'll)\s+say\s+them(?=\s*[,.!;]|\s*$)"),
        (
            "point_at",
            r"\bpoint\s+(?:them|people|him|her|friends|\w+)\s+(?:at|to|towards)\s+(?:it|them|"
            r"(?:the|that)\s+(?:\w+\s+)?(?:service|app|shop|garage|gym|bank|company|provider|place))\b",
        ),
        (
            "tell_people_get",
            r"\btell\s+(?:people|everyone|everybody|friends)\b[^.?!]{0,40}?\b(?:get|try|join)\s+"
            r"(?:it|them|the\s+\w+|[A-Z]\w+)\b",
        ),
        ("advocate", r"\b(?:advocate|ambassador|evangelist)\s+(?:for|of)\s+them\b"),
        ("all_with_them", r"\btold\b[^.?!]{0,60}\b(?:they're|they\s+are)\s+all\s+with\s+them\b"),
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
            r"\bput\s+(?:\w+\s+){0,3}off\s+them\b",
        ),
        (
            "avoid_avoid",
            r"\bavoid,?\s+avoid\b|\bwouldn't\s+wish\s+them\s+on\b|(?:^|[.!?,]\s*)run\s+a\s+mile\b",
        ),
        (
            "so_others_know",
            r"\bso\s+(?:nobody|no\s+one|others?|other\s+people|people)\s+(?:else\s+)?"
            r"(?:gets?\s+(?:caught|stung|ripped\s+off)|knows?|goes\s+through\s+(?:this|that|it|the\s+same)|"
            r"has\s+to\s+go\s+through)\b|"
            r"\bdidn't\s+make\s+the\s+same\s+mistake\b",
        ),
        (
            "say_steer_clear",
            r"\b(?:say|said|saying)\s+(?:\w+,?\s+){0,3}(?:to\s+)?(?:steer\s+(?:well\s+)?clear|"
            r"avoid\s+them|keep\s+(?:well\s+)?away|stay\s+(?:well\s+)?away)\b",
        ),
        (
            "steer_away",
            r"\bsteer(?:ing|ed)?\s+(?:\w+\s+){1,2}?(?:well\s+)?(?:away|clear)\s+(?:from|of)\s+them\b|"
            r"\btalk(?:ed|ing)?\s+(?:\w+\s+){1,2}?out\s+of\s+(?:signing|joining|going\s+with|switching\s+to|"
            r"using)\b|\btalk\s+(?:him|her|them)\s+out\s+of\s+it\b|"
            r"\badvice\s+(?:to\s+(?:anyone|everyone|people|others)\s+)?(?:would\s+be|is)\s+(?:to\s+)?"
            r"(?:stay\s+clear|steer\s+clear|avoid|stay\s+away|keep\s+away|don't)\b",
        ),
    ],
}
#: spoken families whose match starts at the subject, so a negation inside the match
#: counts ("I can't imagine being with anyone else" is ``stay``).
SPOKEN_NEG_INSIDE = {"someone_else"}
#: spoken families whose negation is part of their meaning.
SPOKEN_SELF_NEGATED = {"not_staying", "cant_see_with", "not_customer", "wont_budge",
                       "dont_touch", "avoid_avoid", "so_others_know",
                       "dream_of_leaving", "cant_go_wrong"}  # fmt: skip
