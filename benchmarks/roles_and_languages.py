"""Speaker roles, session types and transcript languages on real transcripts and own passages.

Roles and session types: every MLSS dev interview (``Interviewer 1``/``Interviewer 2``/
``Interviewee`` labels) and the Hit Save Otter.ai interview (names only; its header says
"Interviewer is Jonas Rosland"), before (the rule up to this change, copied below as
``old_roles`` / ``old_session_type``) and after (:func:`insights.segments.build_segments`),
checked against who the interviewer is by reading the start of each file (``EXPECTED``).

Languages: :func:`insights.language.detect_language` on 120 one-sentence passages written
for this benchmark (20 each in en, fr, de, es, it, nl: the same customer-interview
sentences in each language), on every real English eval transcript as a whole, and on
each turn of 12+ words of those transcripts (short real English, with fillers and
transcription errors).

    python benchmarks/roles_and_languages.py

Prints the tables and writes benchmarks/results/roles_and_languages.json.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("INSIGHTS_EVAL_DIR", ROOT.parent / "shared" / "eval"))
OUT = ROOT / "benchmarks" / "results" / "roles_and_languages.json"
HITSAVE = "transcripts_hitsave/raw/2022_GigaSword_GigaSword_-_Interview_with_Jack_Breen.md"

#: who is who, read from the start of each file: the interviewers (every other named
#: speaker is a participant) and the session type. All eight MLSS files and the Hit Save
#: file are one-to-one interviews (some with a second or third interviewer).
EXPECTED = {
    **{
        f"transcripts_mlss_interviews/raw/Interview_{n}.txt": (
            {"Interviewer 1", "Interviewer 2", "Interviewer1", "Interviewer2", "Interviewer3"},
            "interview",
        )
        for n in (4, 6, 14, 17, 25, 29, 30, 37)
    },
    HITSAVE: ({"Jonas Rosland"}, "interview"),
}

PASSAGES_TEXT = {
    "en": """
The engineer was supposed to come on Tuesday but nobody turned up and I had to take another
day off work.

Honestly the app is fine most of the time, it is just the billing page that keeps crashing
on my phone.

I switched because my neighbour told me the speeds were much better and the price was about
the same.

When I rang them the first time they were really helpful, but the second call was a
completely different story.

We have three kids at home who all game online, so the connection dropping every evening
drove us mad.

I would probably recommend them to a friend now, although I would warn them about the
installation delays.

The contract was confusing and nobody explained the early exit fee until I tried to cancel
it.

It took about forty minutes on hold before I spoke to someone, and then they transferred me
twice.

My main worry was whether the router would reach the back bedroom where I work from home.

They sent me a text saying the fault was fixed, but the line was still dead when I got home.

I think the price rise in April was the final straw for me, after everything else that had
happened.

Can you tell me a bit about how you first heard about the company and why you chose them?

Looking back, I should have read the small print before signing up for the two year deal.

The lady in the shop was lovely and set everything up for me while I waited.

It works, it is cheap, and I have not had to think about it since the day it was installed.

We mostly use it for streaming films in the evening and video calls with family abroad.

If they had just called to say the engineer was late, I would not have been half as annoyed.

I was surprised how quickly the new router arrived, it came the next morning in a small box.

The worst part was that nobody seemed to know what was going on with my order.

So what would make you stay with them if another provider offered you a better price?
""",
    "fr": """
Le technicien devait venir mardi, mais personne n'est venu et j'ai dû prendre un autre jour
de congé.

Franchement l'application marche bien la plupart du temps, c'est juste la page de
facturation qui plante.

J'ai changé parce que mon voisin m'a dit que le débit était bien meilleur pour le même prix.

La première fois que je les ai appelés, ils ont été très aimables, mais le deuxième appel
était une autre histoire.

Nous avons trois enfants qui jouent en ligne, alors la connexion qui coupe tous les soirs
nous rendait fous.

Je les recommanderais sans doute à un ami, mais je le préviendrais des retards
d'installation.

Le contrat était compliqué et personne ne m'a parlé des frais de résiliation avant que je
veuille partir.

J'ai attendu quarante minutes au téléphone avant de parler à quelqu'un, puis on m'a
transféré deux fois.

Ma principale inquiétude, c'était de savoir si la box atteindrait la chambre du fond où je
travaille.

Ils m'ont envoyé un message pour dire que la panne était réparée, mais la ligne ne marchait
toujours pas.

Je pense que la hausse des prix en avril a été la goutte d'eau, après tout ce qui s'était
passé.

Pouvez-vous me dire comment vous avez entendu parler de l'entreprise et pourquoi vous l'avez
choisie ?

Avec le recul, j'aurais dû lire les petites lignes avant de signer pour un engagement de
deux ans.

La dame du magasin était adorable et elle a tout installé pendant que j'attendais.

Ça marche, ce n'est pas cher, et je n'ai plus eu à y penser depuis le jour de
l'installation.

On s'en sert surtout pour regarder des films le soir et pour appeler la famille à
l'étranger.

S'ils avaient simplement appelé pour dire que le technicien serait en retard, j'aurais été
beaucoup moins fâché.

J'ai été surpris de recevoir la nouvelle box aussi vite, elle est arrivée le lendemain
matin.

Le pire, c'est que personne ne semblait savoir ce qui se passait avec ma commande.

Qu'est-ce qui vous ferait rester chez eux si un autre opérateur vous proposait un meilleur
prix ?
""",
    "de": """
Der Techniker sollte am Dienstag kommen, aber niemand ist erschienen und ich musste noch
einen Tag freinehmen.

Ehrlich gesagt funktioniert die App meistens gut, nur die Rechnungsseite stürzt auf meinem
Handy ständig ab.

Ich habe gewechselt, weil mein Nachbar sagte, die Geschwindigkeit sei viel besser und der
Preis ungefähr gleich.

Beim ersten Anruf waren sie wirklich hilfsbereit, aber beim zweiten Mal war das eine ganz
andere Geschichte.

Wir haben drei Kinder, die alle online spielen, deshalb hat uns die abbrechende Verbindung
jeden Abend verrückt gemacht.

Ich würde sie einem Freund jetzt wohl empfehlen, aber ich würde ihn vor den Verzögerungen
bei der Installation warnen.

Der Vertrag war verwirrend und niemand hat mir die Kündigungsgebühr erklärt, bis ich
kündigen wollte.

Ich war etwa vierzig Minuten in der Warteschleife, bevor ich mit jemandem sprechen konnte,
und dann wurde ich zweimal weitergeleitet.

Meine größte Sorge war, ob der Router bis ins hintere Schlafzimmer reicht, wo ich von zu
Hause arbeite.

Sie haben mir eine Nachricht geschickt, dass die Störung behoben sei, aber die Leitung war
immer noch tot.

Ich glaube, die Preiserhöhung im April war für mich der letzte Tropfen nach allem, was
passiert war.

Können Sie mir ein bisschen erzählen, wie Sie zum ersten Mal von der Firma gehört haben und
warum Sie sie gewählt haben?

Im Nachhinein hätte ich das Kleingedruckte lesen sollen, bevor ich den Vertrag über zwei
Jahre unterschrieben habe.

Die Frau im Laden war sehr nett und hat alles für mich eingerichtet, während ich gewartet
habe.

Es funktioniert, es ist günstig, und ich musste seit dem Tag der Installation nicht mehr
daran denken.

Wir nutzen es hauptsächlich, um abends Filme zu streamen und mit der Familie im Ausland zu
telefonieren.

Wenn sie einfach angerufen hätten, um zu sagen, dass der Techniker sich verspätet, wäre ich
nicht halb so verärgert gewesen.

Ich war überrascht, wie schnell der neue Router ankam, er war schon am nächsten Morgen da.

Das Schlimmste war, dass niemand zu wissen schien, was mit meiner Bestellung los war.

Was würde Sie also dazu bringen zu bleiben, wenn ein anderer Anbieter Ihnen einen besseren
Preis anbietet?
""",
    "es": """
El técnico tenía que venir el martes, pero no apareció nadie y tuve que pedir otro día libre
en el trabajo.

Sinceramente la aplicación funciona bien casi siempre, solo la página de facturación se
cuelga en mi móvil.

Me cambié porque mi vecino me dijo que la velocidad era mucho mejor y el precio más o menos
el mismo.

La primera vez que llamé fueron muy amables, pero la segunda llamada fue una historia
completamente distinta.

Tenemos tres hijos que juegan en línea, así que la conexión que se cortaba cada noche nos
volvía locos.

Probablemente se los recomendaría a un amigo, aunque le avisaría de los retrasos en la
instalación.

El contrato era confuso y nadie me explicó la penalización por baja hasta que intenté
cancelarlo.

Estuve unos cuarenta minutos esperando antes de hablar con alguien, y luego me pasaron dos
veces a otro departamento.

Mi mayor preocupación era si el router llegaría hasta el dormitorio del fondo, donde trabajo
desde casa.

Me mandaron un mensaje diciendo que la avería estaba arreglada, pero la línea seguía sin
funcionar.

Creo que la subida de precios de abril fue la gota que colmó el vaso, después de todo lo que
había pasado.

¿Puede contarme un poco cómo conoció la empresa y por qué decidió contratar con ellos?

Mirándolo ahora, tendría que haber leído la letra pequeña antes de firmar el contrato de dos
años.

La señora de la tienda fue encantadora y me lo configuró todo mientras yo esperaba.

Funciona, es barato y no he tenido que pensar en ello desde el día que lo instalaron.

Lo usamos sobre todo para ver películas por la noche y para hacer videollamadas con la
familia que vive fuera.

Si me hubieran llamado para decir que el técnico llegaría tarde, no me habría enfadado ni la
mitad.

Me sorprendió lo rápido que llegó el nuevo router, estaba en casa a la mañana siguiente.

Lo peor fue que nadie parecía saber qué estaba pasando con mi pedido.

¿Y qué haría que se quedara con ellos si otra compañía le ofreciera un precio mejor?
""",
    "it": """
Il tecnico doveva venire martedì, ma non si è presentato nessuno e ho dovuto prendere un
altro giorno di ferie.

Sinceramente l'applicazione funziona bene quasi sempre, è solo la pagina delle bollette che
si blocca sul telefono.

Ho cambiato perché il mio vicino mi ha detto che la velocità era molto migliore e il prezzo
più o meno lo stesso.

La prima volta che li ho chiamati sono stati davvero gentili, ma la seconda telefonata è
stata tutta un'altra storia.

Abbiamo tre figli che giocano online, quindi la connessione che cadeva ogni sera ci faceva
impazzire.

Probabilmente li consiglierei a un amico, anche se lo avvertirei dei ritardi
nell'installazione.

Il contratto era confuso e nessuno mi ha spiegato la penale di recesso finché non ho provato
a disdire.

Sono rimasto in attesa per circa quaranta minuti prima di parlare con qualcuno, e poi mi
hanno trasferito due volte.

La mia preoccupazione principale era se il modem sarebbe arrivato fino alla camera in fondo,
dove lavoro da casa.

Mi hanno mandato un messaggio per dire che il guasto era stato riparato, ma la linea non
funzionava ancora.

Penso che l'aumento dei prezzi di aprile sia stata la goccia che ha fatto traboccare il
vaso, dopo tutto quello che era successo.

Può raccontarmi un po' come ha conosciuto l'azienda e perché ha deciso di sceglierla?

Ripensandoci, avrei dovuto leggere le clausole scritte in piccolo prima di firmare per due
anni.

La signora del negozio è stata gentilissima e mi ha configurato tutto mentre aspettavo.

Funziona, costa poco e non ci ho più dovuto pensare dal giorno in cui l'hanno installato.

Lo usiamo soprattutto per guardare film la sera e per fare videochiamate con i parenti
all'estero.

Se mi avessero solo chiamato per dire che il tecnico era in ritardo, non mi sarei arrabbiato
nemmeno la metà.

Sono rimasto sorpreso da quanto velocemente è arrivato il nuovo modem, era qui la mattina
dopo.

La cosa peggiore era che nessuno sembrava sapere cosa stesse succedendo con il mio ordine.

Quindi cosa la farebbe restare con loro se un altro operatore le offrisse un prezzo
migliore?
""",
    "nl": """
De monteur zou dinsdag komen, maar er kwam niemand en ik moest nog een dag vrij nemen van
mijn werk.

Eerlijk gezegd werkt de app meestal prima, alleen de factuurpagina blijft crashen op mijn
telefoon.

Ik ben overgestapt omdat mijn buurman zei dat de snelheid veel beter was en de prijs
ongeveer hetzelfde.

De eerste keer dat ik belde waren ze heel behulpzaam, maar het tweede gesprek was een heel
ander verhaal.

We hebben drie kinderen die allemaal online gamen, dus de verbinding die elke avond wegviel
maakte ons gek.

Ik zou ze nu waarschijnlijk aanraden aan een vriend, maar ik zou hem wel waarschuwen voor de
vertraging bij de installatie.

Het contract was verwarrend en niemand vertelde me over de opzegkosten totdat ik wilde
opzeggen.

Ik heb ongeveer veertig minuten in de wacht gestaan voordat ik iemand sprak, en toen werd ik
twee keer doorverbonden.

Mijn grootste zorg was of de router tot in de achterste slaapkamer zou reiken, waar ik thuis
werk.

Ze stuurden me een bericht dat de storing was verholpen, maar de lijn deed het nog steeds
niet.

Ik denk dat de prijsverhoging in april voor mij de druppel was, na alles wat er al gebeurd
was.

Kunt u me iets vertellen over hoe u voor het eerst van het bedrijf hoorde en waarom u voor
ze koos?

Achteraf gezien had ik de kleine lettertjes moeten lezen voordat ik het contract van twee
jaar tekende.

De mevrouw in de winkel was heel aardig en heeft alles voor me ingesteld terwijl ik wachtte.

Het werkt, het is goedkoop en ik heb er sinds de dag van de installatie niet meer aan hoeven
denken.

We gebruiken het vooral om 's avonds films te streamen en om te videobellen met familie in
het buitenland.

Als ze gewoon hadden gebeld om te zeggen dat de monteur later kwam, was ik lang niet zo boos
geweest.

Ik was verrast hoe snel de nieuwe router kwam, hij was er de volgende ochtend al.

Het ergste was dat niemand leek te weten wat er met mijn bestelling aan de hand was.

Dus wat zou ervoor zorgen dat u blijft als een andere aanbieder u een betere prijs biedt?
""",
}


def passages() -> dict[str, list[str]]:
    """The own passages: one per blank-line separated block, lines joined."""
    return {
        lang: [" ".join(p.split()) for p in text.strip().split("\n\n")]
        for lang, text in PASSAGES_TEXT.items()
    }


def old_roles(turns: list[tuple[str | None, str]], session_type: str = "interview") -> dict:
    """The rule up to this change: labels, else the largest share of turns with a "?"."""
    from insights.io import label_key

    lead = "moderator" if session_type == "focus_group" else "interviewer"
    roles, questions, counts = {}, Counter(), Counter()
    for speaker, text in turns:
        if speaker:
            counts[speaker] += 1
            questions[speaker] += "?" in text
    for speaker in counts:
        key = label_key(speaker)
        if any(key.startswith(w) for w in ("interviewer", "moderator", "facilitator")):
            roles[speaker] = lead
        elif key.startswith("unknown"):
            roles[speaker] = "unknown"
        elif any(key.startswith(w) for w in ("interviewee", "respondent", "participant")):
            roles[speaker] = "participant"
    if lead not in roles.values() and len(counts) >= 2:
        rates = {
            s: questions[s] / counts[s] for s in counts if s not in roles and questions[s] >= 2
        }
        if rates:
            best = max(rates, key=lambda s: (rates[s], questions[s]))
            others = [r for s, r in rates.items() if s != best]
            if not others or rates[best] > max(others):
                roles[best] = lead
    return {s: roles.get(s, "participant") for s in counts}


def old_session_type(turns: list[tuple[str | None, str]]) -> str:
    """The rule up to this change: four or more speakers of any role make a focus group."""
    return "focus_group" if len({s for s, _ in turns if s}) >= 4 else "interview"


def roles_table() -> list[dict]:
    from insights.io import read_transcript
    from insights.segments import build_segments

    rows = []
    for rel, (interviewers, session) in EXPECTED.items():
        t = read_transcript(EVAL / rel)
        pairs = [(x.speaker, x.text) for x in t.turns]
        seg = build_segments(t)
        labelled = seg[seg["speaker"].notna()]
        after = dict(zip(labelled["speaker"], labelled["role"], strict=True))
        before_type = old_session_type(pairs)
        before = old_roles(pairs, before_type)

        def right(roles: dict, kind: str, interviewers=interviewers, session=session) -> bool:
            staff = {s for s, r in roles.items() if r in ("interviewer", "moderator")}
            named = {s for s in roles if roles[s] != "unknown"}
            return staff == (named & interviewers) and kind == session

        after_type = str(seg["session_type"].iloc[0])
        rows.append(
            {
                "file": Path(rel).name,
                "before": {"roles": before, "session_type": before_type},
                "after": {"roles": after, "session_type": after_type},
                "before_right": right(before, before_type),
                "after_right": right(after, after_type),
                "participants_after": sorted(seg["participant_id"].dropna().unique().tolist()),
            }
        )
    return rows


def language_figures() -> dict:
    from insights.io import read_transcript
    from insights.language import MIN_WORDS, detect_language, identify, transcript_language

    own = {}
    for lang, ps in passages().items():
        got = [detect_language(p) for p in ps]
        raw = [identify(p)[0] for p in ps]
        own[lang] = {
            "n": len(ps),
            "right": sum(g == lang for g in got),
            "undecided": sum(g is None for g in got),
            "wrong": {p: g for p, g in zip(ps, got, strict=True) if g not in (lang, None)},
            "top1_right": sum(r == lang for r in raw),
        }
    whole, turns = [], Counter()
    for folder in ("transcripts_hitsave/raw", "transcripts_mlss_interviews/raw"):
        for path in sorted((EVAL / folder).iterdir()):
            t = read_transcript(path)
            whole.append(
                {"file": path.name, "language": transcript_language(x.text for x in t.turns)}
            )
            for x in t.turns:
                if len(x.text.split()) >= MIN_WORDS:
                    turns[detect_language(x.text) or "undecided"] += 1
    n_own = sum(v["n"] for v in own.values())
    return {
        "own_passages": own,
        "own_accuracy": round(sum(v["right"] for v in own.values()) / n_own, 4),
        "own_n": n_own,
        "real_english_transcripts": whole,
        "real_english_transcripts_right": sum(w["language"] == "en" for w in whole),
        "real_english_turns": dict(turns),
        "real_english_turns_accuracy": round(turns["en"] / max(1, sum(turns.values())), 4),
    }


def main() -> int:
    if not EVAL.exists():
        print(f"no eval data at {EVAL}", file=sys.stderr)
        return 1
    roles = roles_table()
    print(f"{'file':58} {'before':34} {'after':34} ok")
    for r in roles:

        def show(side: dict) -> str:
            staff = [s for s, x in side["roles"].items() if x in ("interviewer", "moderator")]
            return f"{side['session_type']}: {', '.join(staff) or '-'}"

        ok = f"{'y' if r['before_right'] else 'n'}->{'y' if r['after_right'] else 'n'}"
        print(f"{r['file'][:58]:58} {show(r['before'])[:34]:34} {show(r['after'])[:34]:34} {ok}")
    lang = language_figures()
    print(f"\nown passages: {lang['own_accuracy']:.1%} of {lang['own_n']} right")
    for code, v in lang["own_passages"].items():
        print(f"  {code}: {v['right']}/{v['n']} (undecided {v['undecided']}) {v['wrong'] or ''}")
    print(
        f"real English transcripts: {lang['real_english_transcripts_right']}/"
        f"{len(lang['real_english_transcripts'])} en; turns of 12+ words: "
        f"{lang['real_english_turns_accuracy']:.1%} en {lang['real_english_turns']}"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"roles": roles, "languages": lang}, indent=2, ensure_ascii=False))
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
