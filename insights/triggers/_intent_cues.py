"""The cue table and context patterns of intent detection (see :mod:`._intent`).

``CUES`` maps each intent to its named patterns (the name becomes a verifier feature);
the other patterns mark negation, conditions, the subject, tense, and technical or
provider context around a cue.
"""

from __future__ import annotations

import re

from ._intent_spoken import SPOKEN, SPOKEN_NEG_INSIDE, SPOKEN_SELF_NEGATED

#: what a person joins, leaves or moves between, in any trade: the destination of "switched
#: to a little independent gym", "moved over to the council leisure centre"
SERVICE = (
    r"(?:gym|health\s+club|(?:leisure|sports|fitness)\s+(?:centre|center)|bank|insurer|"
    r"building\s+society|credit\s+union|streaming\s+service|meal\s+kit|box\s+scheme|"
    r"vet(?:s|erinary\s+practice)?|dentist|practice|coworking\s+space|studio|garage|nursery|"
    r"accountants?|hairdressers?|barbers?|physio|plumber|builder|window\s+cleaner|"
    r"letting\s+agents?|estate\s+agents?|broker|lender|supermarket|delivery(?:\s+(?:service|app))?)"
)
# object of a relationship verb: the provider, a brand (capitalised word), or "them"
OBJ = r"(?:them|you|it|this\s+place|the\s+place|this\s+one|[A-Z][\w'-]+)"
CUES: dict[str, list[tuple[str, str]]] = {
    # (name, pattern); the name becomes a feature
    "leave": [
        (
            "cancel",
            r"\bcancel(?:l?ing|l?ed|s)?\b(?!\s+(?:(?:the|a|my|our|his|her)\s+)?(?:\w+\s+)?"
            r"(?:appointment|meeting|order|trip|series|call|plans?|slot|flight|booking|vote|"
            r"match|show|party|class|event|gig|appearances?|visit|install(?:ation)?|callout|call-out|"
            r"delivery|reservation|holiday)\b|\s+(?:it|that|out)\b)",
        ),
        (
            "switch",
            r"\bswitch(?:ed|ing)?\s+(?:to\s+(?:(?:another|a\s+new|a\s+different)(?=\s*(?:[.!?;]|$|"
            r"(?:\w+\s+)?(?:provider|supplier|company|network|one|deal|broadband|isp|operator|"
            r"tariff|firm|lot)\b))|[A-Z][\w-]+|(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
            + SERVICE
            + r"\b)|"
            r"over\b|away\b|provider|supplier|networks?)|"
            r"\b(?:I|we)\s+(?:\w+\s+)?switched(?=\s+(?:at|in|last|when|after|because|"
            r"providers?|over|away)\b|\s*[.,!]|\s*$)|\bthe\s+switching\b|"
            r"\b(?:might|may|could|will|'ll|'d|would|going\s+to|want\s+to|thinking\s+about|'m|am|"
            r"looking\s+to|planning\s+to|decided\s+to|"
            r"we're|are)\s+(?:probably\s+|definitely\s+|just\s+|likely\s+)?"
            r"switch(?:ing)?\b(?!\s+(?:it|them|back|off|on|to\s+\w+ing|to\s+start|to\s+(?:my|your|his|"
            r"her|our|the\s+(?:next|other|new)\s+(?:slide|topic|item|screen|camera|presentation)))\b)",
        ),
        (
            "leave_them",
            r"\b(?:leav(?:e|ing)|left)\s+(?!(?:alone|behind|out|there|here|home|early)\b)"
            r"(?:them|you|[A-Z][\w-]+|for\s+(?:another|a|something|someone)|the\s+(?:provider|"
            r"network|contract))\b(?!\s+(?:alone|behind|out|here|there|with|be|an?|to\s+it)\b)",
        ),
        (
            "i_left",
            r"\b(?:(?:I|we|I'd|we'd)\s+(?:\w+\s+)?(?:left|was\s+leaving|am\s+leaving|quit)|"
            r"I'm\s+leaving|we're\s+leaving)\b(?!\s+(?:the\s+(?:house|room|office|flat|data|"
            r"dinner|table|car|party|building|meeting|game)|a\s|it\b|early|work|home|school|him\b|her\b|"
            r"out\b|over\b|off\b|"
            r"smoking|drinking|sugar|caffeine|social\s+media|the\s+(?:game|app|programme|program)\b|"
            r"(?:my|his|her|our|your)\s+(?!contract|provider|supplier|account)))",
        ),
        (
            "to_leave",
            r"\b(?:want(?:ed)?|going|decided|plan(?:ning)?|about|think(?:ing)?\s+about|"
            r"easier)\s+(?:to\s+)?leav(?:e|ing)\b(?!\s+(?:it|the\s+(?:house|room|office)|"
            r"early|home|work))",
        ),
        ("be_gone", r"\bI'll\s+be\s+gone\b"),
        (
            "would_leave",
            r"\b(?:I|we)(?:'d|\s+would)\s+(?:probably\s+|definitely\s+|just\s+)?leave\b"
            r"(?!\s+(?:the|a|it|my|our|early|work|home|room)\b)|"
            r"\b(?:I|we)(?:'ll|\s+will)\s+(?:probably\s+|definitely\s+|just\s+)?leave"
            r"(?=\s*(?:[.,!;]|$)|\s+(?:them|(?-i:[A-Z])[\w-]+)\b)",
        ),
        ("reason_to_go", r"\breason\s+to\s+(?:go|leave|switch|move)\b"),
        (
            "close_account",
            r"\b(?:clos(?:e|ing|ed)|end(?:ing|ed)?|terminat(?:e|ing|ed)|quit(?:ting)?)\s+(?:my|the|"
            r"our)\s+(?:\w+\s+)?(?:account|contract|subscription|membership|plan|package|agreement|"
            r"policy)\b",
        ),
        ("port", r"\bport(?:ing|ed)?\s+(?:my|our)\s+number\b"),
        ("notice", r"\bg(?:ave|ive|iven|iving)\s+(?:them\s+)?(?:my|our)?\s*notice\b"),
        (
            "not_with",
            r"\b(?:not|no\s+longer)\s+with\s+(?:them|[A-Z][\w-]+)(?:\s+any\s*more)?\b|"
            r"(?:\bnot|n't|\bno\s+longer)\s+bank(?:ing)?\s+with\s+(?:them|[A-Z][\w-]+)\s+"
            r"(?:any\s*more|any\s+longer)\b",
        ),
        (
            "move_to",
            r"\bmov(?:e|ed|ing)\s+(?:(?:my|our|the)\s+(?:\w+\s+){0,2}?)?(?:over\s+)?to\s+(?:another\s+"
            r"(?:provider|company|network)|[A-Z][\w-]+|the\s+(?:new\s+|other\s+)?(?:\w+\s+)?"
            r"(?:provider|company|network|supplier)|(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?"
            + SERVICE
            + r"\b)",
        ),
        (
            "look_around",
            r"\b(?:(?<!just\s)(?:look|looking)\s+around(?!\s+(?:the|because|and|to)\b)|"
            r"(?:shop|shopping)\s+around|(?:look|looking|shop|shopping)\s+(?:for\s+(?:another|a\s+new)\s+"
            r"(?:provider|supplier|deal|company)|at\s+other\s+(?:providers|suppliers|insurers|"
            r"banks|networks|companies|deals)))\b",
        ),
        (
            "out_of_there",  # "I'll be out of there by the summer"
            r"\b(?:I'll|we'll|I\s+will|we\s+will|I'm\s+going\s+to|we're\s+going\s+to)\s+"
            r"(?:\w+\s+)?be\s+out\s+of\s+(?:there|here)\b",
        ),
        ("done_with", r"\b(?:done|finished)\s+with\s+them\b"),
        (
            "elsewhere",
            r"\b(?:going|gone|go|went|t(?:ak(?:e|ing|en)|ook)\s+(?:my|our)\s+(?:\w+\s+){0,2}?\w+|"
            r"mov(?:e|ed|ing)\s+(?:my|our|the)\s+(?:\w+\s+){0,2}?\w+)\s+elsewhere\b",
        ),
        (
            "move_away",
            r"\b(?:mov(?:e|ed|ing)|went|go(?:ne|ing)?|t(?:ook|ake|aking)\s+(?:my|our|the))\s+"
            r"(?:\w+,?\s+){0,4}?(?:over\s+)?to\s+(?:a\s+(?:different|new|cheaper|smaller)|another|"
            r"the\s+(?:new|other))\s+(?:\w+\s+)?(?:provider|supplier|company|network|bank|insurer|"
            r"firm|lot|operator|one|shop|" + SERVICE[3:-1] + r")\b",
        ),
        (
            "lapse",  # "let the pet policy run out": ending a service by not renewing it
            r"\blet\s+(?:it|them|the|my|our)\s+(?:[\w-]+\s+){0,2}(?:lapse|expire)\b|"
            r"\blet\s+(?:it|(?:the|my|our)\s+(?:[\w-]+\s+)?(?:policy|contract|membership|"
            r"subscription|cover|insurance|plan|deal|licen[cs]e|sub))\s+run\s+out\b",
        ),
        (
            "hand_back",
            r"\bhand(?:ed|ing)?\s+back\s+(?:the|my|our)\s+(?:\w+\s+)?(?:box|router|hub|kit|"
            r"equipment|modem|set-top\s+box)\b|\bhand(?:ed|ing)?\s+(?:the|my|our)\s+(?:lease\s+)?"
            r"(?:car|keys|desk|router|hub|box|modem|equipment)\s+back\b(?!\s+to\s+(?:me|us)\b)",
        ),
        ("walk_away", r"\bwalk(?:ed|ing)?\s+away\s+from\s+(?:them|it\s+all|[A-Z][\w-]+)\b"),
        ("im_off", r"\bI'?m\s+off(?:\s*[,.!;]|\s*$)"),
        ("ditch", r"\bditch(?:ed|ing)?\s+them\b"),
        ("unsubscribe", r"\bunsubscrib(?:e|ed|ing)\b(?!\s+from\s+(?:their|the|your)\s+emails)"),
        (
            "drop_sub",
            r"\bdrop(?:ped|ping)?\s+(?:the|my|our)\s+(?:\w+\s+)?(?:subscription|plan|package|"
            r"membership)\b",
        ),
        ("not_renew", r"(?:\b(?:not|never|won'?t)|n't)\s+(?:be\s+)?renew(?:ing)?\b"),
        ("never_again", r"\bnever\s+again\b"),
        (
            "never_back",
            r"\b(?:never|not|won'?t|wouldn'?t|n't)\s+(?:\w+\s+){0,2}(?:go|going|be|come|"
            r"coming)\s+back\b|\bnever\s+to\s+return\b|\b(?:never|not)\s+return\b",
        ),
        ("off_to", r"\bI'?m\s+off\s+to\b"),
    ],
    "stay": [
        (
            "stay_with",
            r"\bstay(?:ing|ed)?\s+(?:with\s+" + OBJ + r"|put|loyal|on\s+with)\b",
        ),
        (
            "wont_leave",
            r"\b(?:wouldn't|won't|will\s+not|would\s+not|not\s+going\s+to|never|no\s+way\s+I'd)"
            r"\s+(?:\w+\s+)?(?:switch|leave(?!\s+(?:my|your|his|her|our|a|an|it|home|work|early|him|that|"
            r"this|the\s+(?!provider|company|network|contract|supplier)\w+)\b)|cancel|"
            r"change\s+(?:provider|supplier|network|bank|insurer)s?)\b|"
            r"\b(?:didn't|did\s+not)\s+(?:switch|leave|cancel)\s+(?:in\s+the\s+end|after\s+all)\b",
        ),
        (
            "i_stay",
            r"\b(?:I|we)(?:'ll|’ll|'d|’d|'m|'re|'ve|\s+will|\s+would|\s+might|\s+should)?\s+(?:\w+\s+){0,2}"
            r"stay(?:ed)?\b(?!\s+(?:on\s+the\s+phone|late|at|in\b|up|home|the\s+same|away|\w+ly\s+away|"
            r"with\s+(?:friends|family|relatives|(?:my|his|her|our|their|some)\b)|"
            r"awake|calm|quiet|for(?!\s+(?:the\s+long\s+haul|good|life|the\s+foreseeable)\b)|overnight|there|here|as\b|with\s+(?:my|a|the)\b|on\s+hold|on\s+the\s+line|single|"
            r"anonymous|in\s+touch|updated|well\s+away|far\s+away|away|clear|strong|too|long|longer|"
            r"disciplined|safe|positive|focused|sane|tonight|the\s+night|a\s+(?:bit|while|minute|"
            r"few|night|week)))",
        ),
        (
            "i_stay",
            r"\b(?:I'm|I\s+am|we're|we\s+are)\s+(?:definitely\s+|probably\s+|still\s+)?staying"
            r"(?=\s*(?:[.,!;]|$)|\s+(?:with\s+(?:them|(?-i:[A-Z])[\w-]+)|put|on|loyal)\b)",
        ),
        ("why_stay", r"\b(?:why|reason)\s+I\s+stay\b"),
        ("stick_with", r"\b(?:stick(?:ing)?|stuck)\s+with\s+(?:them|you|[A-Z][\w-]+)\b"),
        (
            "renew",
            r"\b(?:I|we|I'd|we'd|I'll|we'll|I've|we've)\s+(?:\w+\s+)?(?:renew(?:ed)?|re-?sign(?:ed)?)\b"
            r"(?!\s+(?:my|our|the|his|her)\s+(?:\w+\s+)?(?:passport|licen[cs]e|certificate|"
            r"prescription|visa|domain|books?|railcard|permit)\b)|"
            r"\brenewed\s+with\b",
        ),
        (
            "re_with",  # a re- verb with the provider: "re-fixed with them", "re-upped with Zest"
            r"\bre-?(?:fix|sign|join|up|commit|contract)\w*\s+(?:with\s+(?:them|(?-i:[A-Z])[\w-]+)|"
            r"for\s+another)\b|\bre-?join(?:ed|ing)?\s+(?:them|(?-i:[A-Z])[\w-]+)\b",
        ),
        ("sign_up_again", r"\bsign(?:ed)?\s+up\s+again\b|\bsign(?:ed)?\s+back\s+up\b"),
        ("loyal_customer", r"\bloyal\s+customers?\b"),
        ("keep_renewing", r"\bkeep\s+renewing\b|\bcarry(?:ing)?\s+on\s+with\s+them\b"),
        ("stick_around", r"\bstick(?:ing)?\s+around\b"),
        (
            "upgrade",
            r"\bupgrad(?:e|ed|ing)\s+(?:to\s+)?(?:the\s+|a\s+)?(?:\w+\s+)?(?:package|plan|speed|"
            r"tier|deal|contract|broadband|bundle)\b",
        ),
        ("keeps_me", r"\bkeeps?\s+me\s+with\s+them\b"),
        ("keep_contract", r"\bkeep\s+(?:my|our)\s+contract\b"),
        ("not_anywhere", r"\bnot\s+going\s+anywhere\b"),
        (
            "be_with",
            r"\bstill\s+(?:be\s+)?with\s+(?:them|you|[A-Z][\w-]+)\b|\bbeen\s+with\s+"
            r"(?:them|you|[A-Z][\w-]+|the\s+same\s+\w+)\s+for\s+(?:ages|years|decades|\w+\s+years)\b|"
            r"\b(?:been|banked)\s+with\s+(?:them|[A-Z][\w-]+)\b(?:\s+since\b|[^.?!]{0,30}\byears\b)|"
            r"\bstill\s+(?:using|going\s+to|banking\s+with)\s+the\s+same\s+(?:\w+\s+)?\w+\b|"
            r"\b(?:I|we)(?:'ll|\s+will)\s+(?:still\s+|probably\s+|definitely\s+)?be\s+with\s+"
            r"(?:them|[A-Z][\w-]+)\s+(?:for\s+)?(?:a\s+long\s+time|years|ages|a\s+while|"
            r"for\s+life|next\s+year)\b",
        ),
        ("mad_to_leave", r"\bmad\s+to\s+leave\b"),
        (
            "come_back",
            r"\b(?:we|I)(?:'ll|\s+will|\s+would)\s+(?:definitely\s+|probably\s+|certainly\s+|"
            r"absolutely\s+|surely\s+|most\s+likely\s+)?(?:be|go|come)\s+back\b(?!\s+(?:and|to\s+"
            r"(?:the\s+)?(?:office|work|bed|school|class|normal)|to\s+(?:what|that|this|where|my\s+"
            r"point|the\s+(?:point|question|start|slide|beginning|topic))))"
            r"|\bcan't\s+wait\s+to\s+go\s+back\b"
            r"|(?:^|[.!]\s*)(?:will|'ll)\s+(?:\w+\s+)?be\s+back\b|\bgoing\s+to\s+be\s+back\b|"
            r"\b(?:going|been\s+going)\s+back\s+again\b|\bvisit\s+again\b|\bstop\s+in\s+again\b"
            r"|\bcome\s+back\s+(?:nearly|every)\b|\bwon't\s+stop\s+going\s+back\b",
        ),
        ("many_times", r"\b(?:eaten\s+here|been)\s+(?:many|more\s+than\s+\d+|\w+)\s+times?\b"),
        (
            "no_plans",
            r"\bno\s+(?:reason|plans?|intention)\s+(?:to|of)\s+(?:leav|switch|mov|cancel|chang)\w*"
            r"|\bcan't\s+see\s+(?:myself|us)\s+(?:leav|switch|mov|cancel|chang)\w*",
        ),
    ],
    "recommend": [
        (
            "recommend",
            r"\brecommend(?:ed|ing|s)?\b(?!\s+(?:that|\w+ing\b|anything|nothing|"
            r"to\s+make|reservations?|a\s+reservation|you\b|he\b|she\b|we\b|I\b|this\s+paper|"
            r"(?:a\s+|the\s+)?(?:settings?|options?|updates?|boosters?|restarts?|reboots?|"
            r"extenders?|fix)\b))"
            r"(?!\s+(?:system|engine|model|by)\b)"
            r"(?!\s+(?:\d+|one|two|three|four|five|six|seven|eight|ten|twelve|twenty|thirty|a\s+few|"
            r"a\s+couple\s+of)\s+(?:\w+\s+)?(?:sets?|reps?|minutes?|hours?|times?|days?|weeks?|"
            r"kilos?|kg|litres?|miles?|km|glasses|cups|servings|portions|doses?|tablets?|sessions?)\b)"
            r"(?!\s+(?:a\s+(?:few\s+|couple\s+of\s+)?|some\s+|the\s+)?(?:good\s+|great\s+)?"
            r"(?:papers?|books?|articles?|readings?|courses?|tutorials?|films?|movies?|podcasts?|"
            r"videos?|talks?)\b)",
        ),
        ("recommend_it", r"\brecommend(?:ed)?\s+(?:it|them|this|the\s+place)\b|\brecommend!"),
        (
            "told_sign_up",
            r"\b(?:told|tell|telling)\s+(?:my\s+)?\w+(?:\s+\w+){0,5}?\s+to\s+(?:sign\s+up|join|"
            r"go\s+to\s+them|look\s+at|go\s+with(?!\s+(?:a\s+different|another|someone\s+else|[A-Z]\w+\s+instead|"
            r"(?:her|his|my|your|their|our)\s+(?:gut|instinct|heart)))|try)\b",
        ),
        (
            "referral",
            r"\b(?:referral|refer-a-friend|discount|invite)\s+(?:link|code)\b|"
            r"\bsen[dt]\s+(?:\w+\s+){1,2}?(?:the|my|our)\s+(?:sign-?up\s+)?link\s+to\s+sign\s+up\b|\brefer(?:red|ring)?\s+(?:us|me|"
            r"\w+\s+friends?|people)\b|\bfor\s+recommending\s+people\b",
        ),
        (
            "put_onto",
            r"\bput\s+(?:him|her|them|my\s+\w+|\w+)\s+onto\b|\bpass(?:ed|ing)?\s+(?:their|his|her|"
            r"the\s+[\w-]+'s)\s+(?:number|details|card)\s+(?:on\s+)?to\b|"
            r"\bg(?:ive|ave)\s+(?:them|him|her|people)\s+(?:his|her|their)\s+(?:number|details)\b",
        ),
        ("suggested", r"\bsuggested\s+(?:them|[A-Z][\w-]+)\b"),
        (
            "say_go_for_it",
            r"\bsay\s+to\s+(?:anyone|everyone|people)\b[^.?!]{0,20}\bgo\s+for\s+it\b|"
            # "..., that's the one, I'd say to anyone.": the speaker's word to all, said last
            r"(?<=,\s)I(?:'d|\s+would)\s+(?:say|tell)\s+(?:that\s+)?(?:to\s+)?(?:anyone|everyone|"
            r"any\s+friend|a\s+friend)(?:\s+that)?(?=\s*(?:[.!]|$))",
        ),
        ("good_review", r"\b(?:five[- ]star|glowing|positive)\s+review\b"),
        (
            "must",
            r"\b(?:is\s+a\s+must|a\s+must\s+(?:for|visit)|do\s+not\s+pass\s+it\s+up|"
            r"don'?t\s+miss\s+(?:this|it)|friends\s+will\s+thank\s+you|you\s+will\s+go\s+back|"
            r"won'?t\s+regret\s+it)\b|\bpoint(?:ed)?\s+(?:you|people|\w+\s+friends?)\s+"
            r"(?:to|towards|their\s+way)\b",
        ),
        (
            "how_good",
            r"\b(?:saying|tell\w*|spoke)\s+(?!me\b|us\b)(?:\w+\s+){0,3}(?:how\s+good|about\s+it)\b",
        ),
        ("bring", r"\bpeople\s+(?:that\s+)?I\s+bring\b"),
        (
            "told_about",
            r"\btold\s+(?:my\s+)?\w+\s+about\s+(?:it|them)\b|\b(?:tell|telling)\s+(?:my\s+)?"
            r"(?:friends|family|everyone|people)\s+about\s+(?:this|these|them)\b|"
            r"\b(?:told|tell|telling)\s+(?:[\w']+\s+){1,3}?about\s+(?:the|that|this|my|our)\s+(?:\w+\s+)?"
            + SERVICE
            + r"(?=\s*(?:[,.!;]|$|and\b|too\b|as\s+well\b))",
        ),
        ("enough", r"\brecommend\s+(?:\w+\s+){1,4}enough\b"),
    ],
    "warn_others": [
        (
            "warn",
            r"\bwarn(?:ed|ing)?\s+(?:my|you\s+(?:off|against|away)|other|people|everyone|them|"
            r"diners|me\s+off|me\s+about(?!\s+(?:a|an)\s)|anyone|\w+\s+not)\b"
            r"(?!\s+(?:I|I'd|I'm|we|we'd|that|it|there|he|she)\b)",
        ),
        (
            "tell_avoid",
            r"\b(?:tells?|told|telling)\s+(?:\w+,?\s+){0,4}(?:to\s+)?(?:give\s+(?:them|(?:that|the)\s+"
            r"(?:\w+\s+)?\w+)\s+a\s+miss|avoid|stay\s+(?:well\s+|far\s+)?"
            r"away|keep\s+away|steer\s+clear|not\s+to|(?:never|don'?t)(?:\s+(?:ever\s+)?(?:go|sign|"
            r"bother|touch|use|buy|join|get|waste|trust|pick|choose|deal|order|book|switch|move)\b|"
            r"\s*[,.!]|\s*$))",
        ),
        (
            "avoid_them",
            r"\bavoid\s+(?:them|that\s+lot)\b|\bstay\s+(?:well\s+)?clear\s+of\s+(?:them|their)\b",
        ),
        ("stay_away", r"\bstay\s+away\s+from\s+(?:them|there|this\s+place)\b"),
        (
            "bad_review",
            r"\b(?:one[- ]star|bad|terrible|awful|negative|scathing|damning|nasty|horrible|"
            r"angry|furious)\s+review\b|\bstinker\s+of\s+a\s+review\b|"
            r"\bgave\s+them\s+(?:one|1|a\s+one)[- ]star\b",
        ),
        ("boycott", r"\bboycott\b"),
        (
            "think_twice",
            r"\bthink\s+twice\s+before\s+(?:signing|joining|going|using)\b|"
            r"\bthink\s+twice\s+about\s+(?:signing|joining|going\s+with|using|them|(?-i:[A-Z])[\w-]+)",
        ),
        ("dont_go", r"\bdon'?t\s+(?:go\s+to\s+this|go\s+with\s+them|sign\s+up|waste\s+your)\b"),
        (
            "said_dont",  # "I said, don't", "I'd say don't", "I'd just tell them, avoid"
            r"\bI(?:'d|\s+would|'ll)?\s+(?:just\s+|probably\s+)?(?:said|say),?\s+don'?t\b"
            r"(?=\s*(?:[.!,;]|$)|\s+(?:go|bother|sign|join|touch|use|get|buy|switch|waste|trust)\b)|"
            r"\bI(?:'d|\s+would)\s+(?:just\s+)?(?:say|tell\s+(?:them|him|her)),?\s+(?:avoid|steer\s+"
            r"clear|stay\s+away|no\s+way)\b",
        ),
        (
            "spread_word",  # a warning only near a bad word, not "to spread the word" of a game
            r"\bspread\s+the\s+word\b(?=[^.?!]{0,40}\b(?:avoid|bad|awful|terrible|rubbish|useless|"
            r"scam|cowboys|never|don'?t)\b)|\b(?:avoid|bad|awful|terrible|rubbish|useless|scam|"
            r"cowboys)\b[^.?!]{0,60}\bspread\s+the\s+word\b",
        ),
        (
            "do_not_get",
            r"^\s*(?:do\s+not|don'?t)\s+(?:get|order|go|bother|join(?!\s+(?:the\s+|a\s+)?(?:call|"
            r"meeting|queue|dots|team|us|in)\b))\b",
        ),
        (
            # telling someone to move away is a warning, not a recommendation of the
            # provider they move from ("told my neighbour to switch, she's with Larkspur now")
            "tell_switch",
            r"\b(?:tell|told|telling)\s+(?:my\s+|our\s+|the\s+)?\w+(?:\s+\w+)?\s+to\s+(?:switch|"
            r"move|leave|jump\s+ship|get\s+out|go\s+elsewhere|look\s+elsewhere|change\s+"
            r"(?:providers?|suppliers?|networks?|banks?)|go\s+with\s+(?:a\s+different|another|"
            r"someone\s+else|[A-Z]\w+\s+instead))\b(?!\s+(?:over\s+)?to\s+(?:them|us|him|her)\b)",
        ),
        ("go_instead", r"\bgo\s+with\s+[A-Z]\w+\s+instead\b|\bgo\s+to\s+\w+\s+\w+\s+place\b"),
        ("dont_recommend", r"^\s*(?:don'?t|do\s+not|can'?t|cannot)\s+recommend\b"),
    ],
}
for _intent, _cues in SPOKEN.items():
    CUES[_intent].extend(_cues)
COMPILED = {
    k: [(n, re.compile(p.replace("[A-Z]", "(?-i:[A-Z])"), re.I)) for n, p in v]
    for k, v in CUES.items()
}

NEG = re.compile(
    r"\b(?:not|never|no\s+longer|wouldn'?t|won'?t|don'?t|didn'?t|can'?t|couldn'?t|cannot|"
    r"isn'?t|wasn'?t|aren'?t|shouldn'?t|no\s+way)\b|n['’]t\b",
    re.I,
)
SELF_NEGATED = {"not_renew", "not_with", "never_again", "never_back", "no_plans", "not_anywhere",
                 "dont_go", "said_dont", "do_not_get", "dont_recommend", "tell_avoid",
                 "mad_to_leave", "wont_leave", "enough"}  # fmt: skip
SELF_NEGATED |= SPOKEN_SELF_NEGATED
#: cues where the speaker is the object, so "they" is the provider, not a report
#: ("they'll have me for life").
OBJECT_FIRST = {"long_haul", "get_rid_of_me"}
#: cues whose own match may hold the negation (see :mod:`._intent_spoken`).
NEG_INSIDE = SPOKEN_NEG_INSIDE
#: a denial inside an ``i_left`` match ("I never left"): a stay, not "I can't quit you"
NEVER_LEFT = re.compile(r"\b(?:never|didn't|did\s+not|haven't|have\s+not)\b", re.I)
#: cues that win over a general cue they overlap ("mad to leave" over "leave").
PRIORITY = SELF_NEGATED | {"keeps_me", "told_about", "bring", "bad_review", "good_review",
                            "nearly_left", "all_with_them", "tell_switch"}  # fmt: skip
#: a leave cue whose clause is about a job, a person or a home is no provider's
#: ("I want to leave Mr Case's employment", "when they leave the marriage").
PERSONAL = re.compile(
    r"\b(?:employment|employer|job|marriage|relationship|husband|wife|boyfriend|girlfriend|"
    r"country|(?<!across\s)(?<!into\s)(?<!in\s)town|city|university)\b",
    re.I,
)
#: a bare imperative at the start of a sentence ("Leave ASAP.", "Stay strong!"): advice
#: or an order, not the speaker's intent, unless a provider is named.
IMPERATIVE = re.compile(r"(?:^|[.!?]\s+)\W*(?:just\s+)?(?:leave|stay|quit|cancel|switch)\b", re.I)
#: advice to the company, a sentence that starts with an imperative ("Reward the people
#: who've stuck with them", "Tell loyal customers when they're out of contract"): a stay
#: cue in it is someone else's loyalty, not the speaker's intent.
ADVICE = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:just\s+|please\s+)?(?:reward|tell|give|offer|treat|thank|look\s+after|"
    r"show|value|remember|stop\s+punishing|don't\s+punish)\s+(?:the\s+|your\s+|their\s+)?"
    r"(?:people|customers|loyal|existing|long-?standing|ones|us|those)\b",
    re.I,
)
#: a warning that steers people to another channel of the same service ("don't bother
#: with the app, just ring them"): advice about a touchpoint, not about the provider.
CHANNEL_ADVICE = re.compile(
    r"\b(?:just|instead)\s+(?:ring|call|phone|use|go\s+to|pop\s+(?:in|into)|email)\b|"
    r"\b(?:ring|call|phone)\s+(?:them|up)\s+instead\b|"
    r"\b(?:do|sort)\s+it\s+(?:all\s+)?(?:over\s+the\s+phone|online|in\s+the\s+app)\b",
    re.I,
)
#: cues that need a provider-like context and no technical one.
NEEDS_CONTEXT = {"switch", "move_to", "stick_with", "i_left", "cancel"}
#: cues that need a provider-like context.
NEEDS_PROVIDER = {"move_to"}
PASSIVE = re.compile(r"\b(?:been|was|were|be|is|are|get|got|gets)\s+(?:\w+\s+)?$", re.I)
ASKED = re.compile(
    r"\b(?:you|you'd|would\s+you|do\s+you|can\s+you|for|threat\w*\s+to|threatening|"
    r"threatened\s+to)\s+(?:\w+\s+)?$",
    re.I,
)
#: a leave or stay said as a bargaining move, not meant: "don't make us ring up and threaten
#: to leave", "you have to pretend you're leaving", "if you say you're going to cancel".
THREAT = re.compile(
    r"(?:\bthreat\w*|\bpretend\w*|\bbluff\w*|\bsay\s+(?:you're|you\s+are|you'll|you\s+will|"
    r"you\s+want\s+to))\s+(?:\w+\s+){0,4}$",
    re.I,
)
NEG_NEAR = re.compile(
    r"(?:\b(?:not|never|no\s+longer|cannot|no\s+way)\b|n't\b)(?:\s+\w+){0,3}\s*$", re.I
)
FLIP = {"leave": "stay", "stay": "none", "recommend": "warn_others", "warn_others": "none"}
PAST_CF = re.compile(
    r"\b(?:would|'d|’d|might|could)\s+(?:not\s+|n't\s+)?have\b|n['’]t\s+have\b", re.I
)
COND = re.compile(
    # "as long as" / "provided" only where the condition comes first ("As long as the price
    # holds, I'll keep them"), not a caveat after ("I'd recommend them, as long as you...")
    r"(?:^|[.!?;]\s*)\W*(?:as\s+long\s+as|so\s+long\s+as|provided|providing)\b|"
    r"\b(?<!know\s)(?<!sure\s)(?<!wonder\s)(?<!see\s)(?:if|unless|otherwise|one\s+more|might|"
    r"maybe|another\s+\w+\s+like\s+that)\b(?!\s+(?:you(?:'d|’d)?\s+ask(?:ed)?\b|you\b(?!'|’)|I'm\s+honest|"
    r"anyone\s+asks))",
    re.I,
)
FIRST = re.compile(r"\b(?:I|we|I'm|I'd|I've|I'll|we're|we'd|we've|we'll)\b", re.I)
THIRD = re.compile(
    r"\b(?:he|she|they|he's|she's|they've|they're)\b|"
    r"\bmy\s+(?:neighbou?r|sister|brother|mum|dad|mother|father|friend|mate|cousin|colleague|"
    r"wife|husband|partner|son|daughter|flatmate|flatmate's\s+\w+|boyfriend|girlfriend|aunt|uncle|"
    r"grandad|grandpa|grandma|nan|gran|granny|niece|nephew|boss|in-laws|parents|kids|road|street)s?\b|"
    r"\b(?:most|half|all|some|lots|loads)\s+of\s+(?:my|our|the)\s+(?:road|street|friends|family|"
    r"neighbou?rs|mates|colleagues|office|estate)\b|"
    r"\b(?:half\s+my|people|everyone\s+I\s+know|our\s+friend|the\s+friend|"
    r"(?!(?:That|It|There|What|Here|Who|Where|This|Let|He|She)'s)(?-i:[A-Z])[a-z]+'s)\b",
    re.I,
)
PAST = re.compile(
    r"\b(?:cancell?ed|left|quit|switched|stayed|renewed|recommended|told|warned|referred|moved|"
    r"closed|ported|ditched|unsubscribed|binned|dumped|dropped|pulled|packed|gave\s+up|ended|"
    r"kept|extended|upgraded|signed|hung|talked|passed|got\s+out|came\s+away|found|wrote|"
    r"took|knocked|pushed|still|"
    r"(?:I'm|I\s+am|we're)\s+(?:always|forever|constantly)|signed\s+up\s+again|stuck|sent|put\s+him|been|had|let|handed|"
    r"was|were|did|rang|said|went|posted|felt|have\s+been|I've|I’ve|we've)\b|\btell\s+everyone\b"
    r"|\bI\s+tell\b|\bI\s+bring\b|\bkeeps?\s+me\b|\bwhy\s+I\s+stay\b"
    r"|\b(?:came|got|gave|given)\b|\bI\s+(?:always\s+)?(?:point|send)\b|\b(?:keep|always)\s+telling\b"
    r"|\bcome\s+back\s+(?:nearly|every)\b|\bre-?(?:join|fix|sign|up)\w*ed\b",
    re.I,
)
FUTURE = re.compile(
    r"\b(?:will|'ll|going|gonna|'m\s+\w+ing|am\s+\w+ing|would|'d|want\s+to|"
    r"thinking\s+about|plan|probably)\b",
    re.I,
)
TECH = re.compile(
    r"\b(?:system|engine|model|data(?:set)?s?|pipeline|process|code|function|game|sword|"
    r"project|algorithm|server|cloud|deploy\w*|python|spark|flask|pytorch|framework|"
    r"library|tool|meeting|appointment|paper|team|job|position|the\s+decision|router|band|"
    r"wi-?fi|hub|settings|mode|channel|laptop|tab)\b",
    re.I,
)
PROVIDER = re.compile(
    r"\b(?:provider|supplier|contract|them|they|account|subscription|broadband|deal|price|"
    r"company|restaurant|place|service|customer|renewal|network|fibre|bill|here|again|membership|"
    r"gym|club|branch)\b",
    re.I,
)
#: stronger provider context (no pronouns): what a ``move to`` cue needs.
PROVIDER_STRONG = re.compile(
    r"\b(?:provider|supplier|contract|account|subscription|broadband|deal|company|network|"
    r"fibre|energy|electricity|tariff|plan|package|membership|mobile|phone\s+line|gym|"
    r"health\s+club|(?:leisure|sports|fitness)\s+(?:centre|center))\b",
    re.I,
)
CLAUSE = re.compile(r"[.!?;]+|,\s+(?:but|and|so|because|though)\b|\bbut\b", re.I)
