"""Deterministic generator of the fictional demo review site and its ground truth.

Usage: python data/demo_site/generate.py [--out DIR]   (default DIR: data/demo_site)
Writes DIR/site/ (static files; the demo server replaces __BASE__ with its origin), DIR/truth.json and DIR/imdb/
(a tiny extract of IMDb's dataset files naming the demo films, for `critics catalogue import`).
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

SEED = 20250314
BASE = "__BASE__"
N_REVIEWS = 160
PER_LISTING_PAGE = 20

# ---------------------------------------------------------------- name pools (all fictional)
FEMALE_FIRST = (
    "Adaeze Alma Anouk Beatriz Carys Cosima Delphine Elif Esme Fenna Hana Ines Kasia Keziah Maren Mireille Nadia "
    "Niamh Orla Priya Rosalind Saoirse Tamsin Thandiwe Ulla Zofia Imogen Marisol Bettina Dagny Farida Halima "
    "Ingrid Lucia Noor Odile Rhiannon Sunniva Valentina Yara Clementine Eleni Greta Isolde Kalinda Nell Octavia "
    "Renata Tova Agathe Celestine Edda Gwendolyn Ilse Jolene Linnea Nerys Philippa Seraphina Ursula Vesna "
    "Winifred Zuzana Amara Calla Estelle Giulia Ione Liesel Ophelia Perpetua Signe Una Veda"
).split()
MALE_FIRST = (
    "Anders Arjun Bram Callum Dario Emeka Idris Jonah Leif Lorcan Matteo Oskar Rafael Soren Teodor Tobias Vikram "
    "Yusuf Cyrus Henrik Aurelio Cormac Eamon Gaspard Jasper Kenji Malik Piers Quentin Tariq Xavier Zeno Benedikt "
    "Dmitri Florian Hamish Jovan Ludo Magnus Pascal Silvan Bastian Desmond Fabian Horatio Konrad Mateus Olufemi "
    "Ravi Thaddeus Yannick Boris Dorian Felix Hugo Jarrah Kofi Nikolai Rohan Tomasz"
).split()
PEOPLE_SUR = (
    "Okafor Lindqvist Marchetti Abernathy Castellanos Nakamura Oyelaran Brandt Kowalczyk Delacourt Achterberg "
    "Mbeki Sorensen Halloran Quist Ferreira Vasquez Thorne Ashdown Ilunga Petrakis Rourke Szabo Wakefield "
    "Eriksen Moreau Adeyemi Baptiste Carrow Dunleavy Esterhazy Falkner Gallagher Hartigan Iwasaki Jaramillo "
    "Kershaw Lachance Mendelsohn Nkemelu Ostrowski Pellegrini Quennell Rasmussen Sandoval Tremaine Umberg "
    "Valcourt Whitlock Yevtushenko Zamora Aldana Blackwood Cheung Dorsey Ekwueme Fairbairn Greenhalgh "
    "Holloway Ibarra Janssen Kavanagh Loveridge Matsuda Novak Orsini Pemberton Rahimi Silvestri Tolliver "
    "Urquhart Varga Winslow Yilmaz Zielinski Aranda Bellweather Crowther Dvorak Elsworth Fontaine Galbraith "
    "Hadley Inglewood Juarez Kilbride Lowenstein Mwangi Nightingale Oduya Prewitt Redfern Stanhope Tanaka "
    "Underhill Vetter Whitcombe Ashworth Brennan Considine Devereux Eastwick Fitzsimmons Grimaldi Hennessey "
    "Ivanova Jablonski Kingsley Lisowski Montague Nordahl Oakenfold Pashley Rutherford Sauvage Thistlewood "
    "Ballantyne Cavendish Delgado Ellwood Feeney Gorecki Holmqvist Ishikawa Jellicoe Kaczmarek Lamorne Mortimer "
    "Nyberg Ocampo Palfrey "
    "Ulvaeus Vanterpool Wexley Yardley Zuniga Albescu Birkett Courtenay Dalgleish Erskine Farrow Gunnarsson"
).split()
HANDLES = (
    "filmbuff_88 popcornqueen CinephileSam reelgeek_jo midnight_matinee thirdrowcentre couchcritic99 "
    "lumiere_fan vhs_kid frame_by_frame stubbornviewer nachos4ever tessa_watches grumpygoer "
    "arthouse_al bingewatcher_k deadline_dan oldschoolreels sofa_cinema plotholepatrol"
).split()

# ---------------------------------------------------------------- films
# cast: (character, actor or None = drawn from pool); writer None = director writes
FILMS = [
    dict(key="ember-2025", title="From the World of Night Circuit: Ember", short="Ember", year=2025,
         release=(3, 14), genre="neon-noir thriller", blockbuster=True, fresh_p=0.86, n=42,
         aspects=["action", "visuals", "score", "effects", "story", "pacing", "dialogue", "direction"],
         cast=[("Ivy Calloway", "Lena de Marco"), ("Marcus Vell", None), ("Oona Pryce", None), ("Teddy Strand", None)],
         logline="{C0}, a getaway driver who has never lost a tail, is hired by {C1} to move a stolen prototype "
                 "across a city where the lights never go out."),
    dict(key="the-harvest-1987", title="The Harvest", year=1987, release=(10, 2), genre="rural horror film",
         fresh_p=0.8, n=5, aspects=["visuals", "score", "story", "direction", "pacing", "effects"],
         cast=[("Ruth Ellery", None), ("Amos Ellery", None), ("Pastor Abel Crane", None)],
         logline="When the rains fail, {C0} and her brother {C1} discover what the town of Greyling has been "
                 "feeding its fields.",
         extra="Revisited ahead of this year's remake, the original still has the power to unsettle."),
    dict(key="the-harvest-2024", title="The Harvest", year=2024, release=(10, 18), genre="horror remake",
         fresh_p=0.3, n=12, aspects=["visuals", "score", "story", "direction", "pacing", "effects", "dialogue"],
         cast=[("June Ellery", None), ("Tobiah Marsh", None), ("Hester Vane", None), ("Wyatt Greer", None)],
         logline="{C0} returns to Greyling to bury her father and finds the town preparing for a harvest festival "
                 "that {C1} refuses to explain.",
         extra="It is a remake of the 1987 cult favourite, and the comparison is never far from mind."),
    dict(key="the-lighthouse-keepers-wife-2024", title="The Lighthouse Keeper's Wife", year=2024, release=(2, 9),
         genre="period drama", fresh_p=0.75, n=11, aspects=["visuals", "score", "story", "direction", "pacing", "dialogue"],
         cast=[("Agnes Tulloch", None), ("Ewan Tulloch", None), ("Fenwick Rask", "Pieter van Houten")],
         logline="On a storm-battered island in 1911, {C0} keeps the lamp burning after her husband {C1} goes "
                 "missing at sea."),
    dict(key="hargrove-and-daughters-2025", title="Hargrove & Daughters", year=2025, release=(6, 6),
         genre="comedy-drama", fresh_p=0.6, n=10, aspects=["humour", "story", "dialogue", "direction", "pacing", "score"],
         cast=[("Walt Hargrove", None), ("Delia Hargrove", None), ("Posy Hargrove", None), ("Reuben Lusk", None)],
         logline="{C0}, a retired locksmith, tries to reunite his three grown daughters, led by the furious {C1}, "
                 "for one last summer at the family shop."),
    dict(key="paper-lanterns-2025", title="Paper Lanterns", year=2025, release=(9, 12), genre="romantic drama",
         fresh_p=0.72, n=10, aspects=["visuals", "score", "story", "dialogue", "pacing", "direction"],
         cast=[("Sunny Arbuthnot", None), ("Kit Lowell", None), ("Mrs Danforth", None)],
         logline="{C0} and {C1} meet every year at the same riverside festival, and never quite manage to stay."),
    dict(key="saltmarsh-road-2024", title="Saltmarsh Road", year=2024, release=(4, 19), genre="crime thriller",
         fresh_p=0.45, n=9, aspects=["story", "visuals", "dialogue", "pacing", "direction", "score", "action"],
         cast=[("DI Carla Benedetti", None), ("DS Owen Pike", None), ("Leonie Vance", None), ("Harlan Shrike", None)],
         logline="Detective {C0} follows a missing-persons case down a coast road where everyone, including her "
                 "partner {C1}, is lying."),
    dict(key="the-quiet-arithmetic-2025", title="The Quiet Arithmetic", year=2025, release=(1, 24), genre="chamber drama",
         fresh_p=0.65, n=9, aspects=["story", "dialogue", "direction", "pacing", "score", "visuals"],
         cast=[("Miriam Achebe-Ross", None), ("Theo Lindell", None), ("Principal Haskett", None)],
         logline="{C0}, a maths teacher with a secret, is forced to confront the student, {C1}, who has worked it out."),
    dict(key="copperhead-summer-2024", title="Copperhead Summer", year=2024, release=(7, 12), genre="coming-of-age film",
         fresh_p=0.82, n=8, aspects=["humour", "visuals", "score", "story", "direction", "pacing", "dialogue"],
         cast=[("Dottie Pruitt", None), ("Lou Ann Cobb", None), ("Uncle Rayburn", None)],
         logline="Over one sweltering summer in 1994, {C0} and her best friend {C1} try to catch the snake that "
                 "has been terrorising their trailer park."),
    dict(key="velvet-static-2025", title="Velvet Static", year=2025, release=(10, 10), genre="science-fiction drama",
         fresh_p=0.5, n=8, aspects=["visuals", "score", "effects", "story", "pacing", "direction", "dialogue"],
         cast=[("Noa Fairweather", None), ("Dusty Kinsolving", None), ("Petra Quill", None), ("Gus Amberley", None)],
         logline="A radio engineer, {C0}, starts receiving broadcasts from a station that closed thirty years ago, "
                 "hosted by a DJ called {C1}."),
    dict(key="a-season-of-small-fires-2024", title="A Season of Small Fires", year=2024, release=(11, 22),
         genre="family drama", fresh_p=0.7, n=8, aspects=["story", "dialogue", "visuals", "score", "direction", "pacing"],
         cast=[("Hallie Brooke", None), ("Margit Brooke", None), ("Sam Treadwell", None)],
         logline="{C0} moves back into her mother's house as {C1}'s memory begins to slip."),
    dict(key="the-glass-orchard-2025", title="The Glass Orchard", year=2025, release=(11, 21), genre="fantasy adventure",
         fresh_p=0.35, n=7, aspects=["effects", "action", "visuals", "story", "score", "pacing", "humour"],
         cast=[("Wren Ashcombe", None), ("Old Marrow", None), ("Queen Isaura", None), ("Finch", None)],
         logline="{C0}, an apprentice glassblower, must cross a frozen kingdom to return a stolen seed to {C1}, "
                 "the last orchard-keeper."),
    dict(key="northbound-freight-2024", title="Northbound Freight", year=2024, release=(8, 30), genre="action thriller",
         fresh_p=0.2, n=7, aspects=["action", "effects", "story", "dialogue", "pacing", "direction", "score"],
         cast=[("Jack Corrigan", None), ("Viktor Sallow", None), ("Maddie Orr", None)],
         logline="{C0}, a disgraced railway cop, must retake a hijacked cargo train from {C1} before it reaches the border."),
    dict(key="mira-among-the-wolves-2025", title="Mira Among the Wolves", year=2025, release=(5, 2),
         genre="survival drama", fresh_p=0.85, n=6, aspects=["visuals", "score", "story", "direction", "pacing", "effects"],
         cast=[("Mira Tallis", None), ("Joe Birchfield", None), ("Corinne Tallis", None)],
         logline="After a plane crash in the Yukon, eleven-year-old {C0} survives the winter with the help of a "
                 "trapper, {C1}."),
    dict(key="understudy-for-a-ghost-2024", title="Understudy for a Ghost", year=2024, release=(3, 29), genre="comedy",
         fresh_p=0.4, n=8, aspects=["humour", "dialogue", "story", "pacing", "direction", "effects"],
         cast=[("Barnaby Fisk", None), ("Lady Evangeline", None), ("Mr Pocock", None), ("Gemma Strood", None)],
         logline="{C0}, a struggling actor, takes a job as stand-in for a theatre ghost named {C1} who refuses to retire."),
]
MALE_CHARACTERS = {
    "Marcus Vell", "Teddy Strand", "Amos Ellery", "Pastor Abel Crane", "Tobiah Marsh", "Wyatt Greer", "Ewan Tulloch",
    "Fenwick Rask", "Walt Hargrove", "Reuben Lusk", "Kit Lowell", "DS Owen Pike", "Harlan Shrike", "Theo Lindell",
    "Principal Haskett", "Uncle Rayburn", "Dusty Kinsolving", "Gus Amberley", "Sam Treadwell", "Old Marrow", "Finch",
    "Jack Corrigan", "Viktor Sallow", "Joe Birchfield", "Barnaby Fisk", "Mr Pocock",
}
WRITER_DIRECTORS = {"the-quiet-arithmetic-2025", "copperhead-summer-2024", "velvet-static-2025"}
SHORT_TITLE_OUTLETS = {"reel-talk", "starlight-post", "the-long-take"}

# ---------------------------------------------------------------- outlets
OUTLETS = [
    dict(name="The Celluloid Review", slug="celluloid-review", layout="jsonld_review", rating_format="jsonld x/5"),
    dict(name="Screen Ledger", slug="screen-ledger", layout="microdata_review", rating_format="microdata x/10"),
    dict(name="Reel Talk Weekly", slug="reel-talk", layout="opengraph_labelled", rating_format="labelled Rating: x/4"),
    dict(name="Grade Point Cinema", slug="grade-point", layout="grade_box", rating_format="letter grade"),
    dict(name="Starlight Post", slug="starlight-post", layout="star_row", rating_format="stars/5"),
    dict(name="The Long Take", slug="the-long-take", layout="prose_out_of_10", rating_format="N out of 10 in prose"),
    dict(name="Plainview Journal", slug="plainview", layout="no_rating", rating_format="none"),
]
CRITICS_PER_OUTLET = 7
TOP_PER_OUTLET = [2, 2, 2, 2, 2, 1, 1]

LETTER_SCORES = {"A+": 100.0, "A": 100.0, "A-": 90.9, "B+": 81.8, "B": 72.7, "B-": 63.6, "C+": 54.5,
                 "C": 45.5, "C-": 36.4, "D+": 27.3, "D": 18.2, "D-": 9.1, "F": 0.0}

# ---------------------------------------------------------------- prose banks
# Slots: {T} title as the page names it, {Y} year, {G} genre, {D}/{Ds}/{DS} director full/surname/
# sentence-start surname, {W}/{Ws} writer, {A}/{As}/{AS} actor, {B}/{Bs} second actor, {C}/{Cf} character
# full/first name of actor A.
INTROS = [
    "{T} ({Y}) is the new {G} from {D}, and it arrives trailing a good deal of festival chatter.",
    "Director {D} returns with {T}, a {G} that wears its ambitions openly.",
    "There is a moment early in {T} ({Y}) when you sense exactly what kind of {G} {Ds} wants to make.",
    "{D}'s {T} is a {G} with a simple hook and a long list of influences.",
    "I went into {T}, the latest {G} from {D}, knowing very little, which is the best way to see it.",
]
THESIS = {
    ("fresh", "strong"): [
        "The result is a triumph, a film that earns every one of its big emotions.",
        "It's gripping, confident filmmaking, and one of the best films of the year.",
        "This is a terrific, beautifully made film that deserves a big audience.",
        "It is a thrilling, heartfelt piece of work and an absolute must-see.",
    ],
    ("fresh", "lean"): [
        "It isn't perfect, but more often than not it is a real pleasure.",
        "There are flaws, but the good comfortably outweighs the bad.",
        "It is uneven in places, yet it wins you over in the end.",
    ],
    ("rotten", "lean"): [
        "There are good things here, but not enough to hold it together.",
        "It has its moments, but it never quite comes together.",
        "It starts promisingly and then loses its way, which is a shame.",
    ],
    ("rotten", "strong"): [
        "The result is a mess, a film that squanders its cast and its premise.",
        "It's a tedious, lifeless slog from start to finish.",
        "It falls flat almost from the opening scene and never recovers.",
        "It is a dull, misjudged film that I cannot recommend.",
    ],
}
ACTING = {
    "pos": [
        "{A} is superb as {C}, finding layers of grief and wit that the script only hints at.",
        "As {C}, {A} gives a fierce, quietly devastating performance.",
        "{AS}'s turn as {Cf} is the best thing in the film: funny, wounded and completely believable.",
        "It is {As}'s film, really, and every scene with {Cf} crackles with life.",
        "{A} brings a lovely, lived-in warmth to {C}.",
        "{A} is terrific, and the scenes between {Cf} and {B}'s character are electric.",
        "{AS} is a revelation, playing {Cf} with a stillness that is impossible to look away from.",
    ],
    "neg": [
        "{A} is stranded as {C}, delivering lines with all the conviction of a hostage reading a statement.",
        "The wooden performances start at the top: {As}'s {Cf} never feels like a person.",
        "{A} seems miscast as {C}, and the chemistry with {B} simply isn't there.",
        "Even {A}, usually so reliable, can do little with {C}, a character made of cardboard.",
        "{AS}'s performance as {Cf} is all tics and no feeling.",
        "{A} looks lost as {C}, and it is hard to blame {As} for it.",
    ],
}
ASPECTS = {
    "direction": {
        "pos": ["{DS} directs with real confidence, holding shots just long enough for the tension to curdle.",
                "{D}'s direction is precise and patient, and it pays off in a gripping final act.",
                "There is a sureness to {Ds}'s direction that makes even the quiet scenes feel charged."],
        "neg": ["{D} directs as if working from a checklist, and the film never finds a rhythm.",
                "{DS}'s direction is flat and unfocused; scenes begin and end without purpose.",
                "It is hard to tell what {Ds} was going for, and the film falls flat as a result."],
    },
    "story": {
        "pos": ["The script by {W} is smart and surprisingly moving, braiding the {G} beats with genuine heart.",
                "{W}'s screenplay is tightly plotted and rewards close attention.",
                "The story unfolds with the satisfying click of a well-made puzzle."],
        "neg": ["{W}'s script is a mess of half-finished ideas and borrowed twists.",
                "The plot is predictable from the first reel, and the twists land with a thud.",
                "The story is thin, and the screenplay by {W} pads it out with scenes that go nowhere."],
    },
    "visuals": {
        "pos": ["It is beautifully shot, all sodium-orange streets and long, gliding takes.",
                "The cinematography is gorgeous; nearly every frame could hang on a wall.",
                "Visually it is a knockout, with a palette that darkens as the story does."],
        "neg": ["The visuals are murky and drab, as if the whole film were shot through dishwater.",
                "The cinematography is flat and televisual, with none of the atmosphere the material needs.",
                "For all its money it looks cheap, with muddy night scenes you can barely make out."],
    },
    "score": {
        "pos": ["The score is haunting, a low synth pulse that gets under your skin.",
                "The music is used sparingly and to terrific effect.",
                "The soundtrack is wonderful, swelling at exactly the right moments."],
        "neg": ["The score is relentless and overbearing, telling you what to feel in every scene.",
                "The music is generic, the kind of wallpaper strings you forget before the credits end.",
                "The soundtrack is intrusive and dated, smothering scenes that needed silence."],
    },
    "pacing": {
        "pos": ["It never drags; the pacing is tight and the momentum hard to resist.",
                "The pacing is assured, letting the tension build slowly before a gripping final stretch.",
                "It moves like a dream, and not a minute feels wasted."],
        "neg": ["At well over two hours it is badly overlong, and the middle section is tedious.",
                "The pacing is sluggish; you feel every one of its minutes.",
                "It is tedious and overlong, circling the same beats again and again."],
    },
    "humour": {
        "pos": ["It is also genuinely funny, with jokes that come out of character rather than formula.",
                "The humour is dry and well judged, puncturing the gloom at just the right moments.",
                "I laughed out loud more than once, which is more than most comedies manage."],
        "neg": ["The jokes fall flat, and the attempts at humour feel painfully forced.",
                "The comic relief is embarrassing, and it punctures whatever tension the film builds.",
                "It is never as funny as it thinks it is; most of the gags die on the screen."],
    },
    "dialogue": {
        "pos": ["The dialogue is sharp and quotable, full of lines that sting.",
                "The dialogue has a natural, overlapping rhythm that makes the characters feel real."],
        "neg": ["The dialogue is clunky and expository; characters announce their feelings like weather reports.",
                "The dialogue is so stilted that even good actors sound wooden."],
    },
    "action": {
        "pos": ["The action scenes are thrilling, cleanly staged and easy to follow.",
                "The fight scenes are brutal and inventive, and {As} clearly did many of the stunts.",
                "A car chase in the second act is as exciting as anything in recent memory."],
        "neg": ["The action is a blur of shaky cameras and choppy edits, impossible to follow.",
                "The fight scenes are clumsy and weightless, and they go on forever.",
                "The set pieces are noisy and repetitive, and the big chase is a bore."],
    },
    "effects": {
        "pos": ["The effects are seamless and never upstage the story.",
                "The visual effects are spectacular, especially in the rain-soaked finale.",
                "The practical effects are grotesque in the best possible way."],
        "neg": ["The effects are shoddy and distracting, the CGI looking unfinished.",
                "The visual effects are weightless, with a climax that looks like a video game cutscene.",
                "The creature effects are more silly than scary."],
    },
}
CONTEXT = [
    "I caught it at a packed press screening, and the room was silent by the end.",
    "Much has been written about the troubled production, but little of that is visible on screen.",
    "Fans of {Ds}'s earlier work will recognise the fascination with small towns and big secrets.",
    "The trailer sells a different film, so it is worth going in with an open mind.",
    "It is rated for strong language and some violence, which is fair warning for younger viewers.",
]
THEMES = {
    "pos": ["Underneath the genre trappings, it is a film about grief and the stories families tell themselves, "
            "and it handles that with real grace.",
            "What lingers is its compassion: nobody here stays a villain for long.",
            "It has something to say about work, money and loyalty, and it says it without preaching.",
            "The final scene is a quiet knockout that reframes everything that came before."],
    "neg": ["It gestures at big themes, grief and class and memory, but never commits to any of them.",
            "The ending is a cop-out that undoes most of what the film had been building.",
            "It mistakes bleakness for depth, and the result is simply joyless.",
            "Scene after scene feels borrowed from better films."],
}
ESSAY = [
    "It is worth pausing on how {T} fits into the current wave of {G}s, most of which are content to recycle "
    "the same handful of images.",
    "{DS} has spoken in interviews about growing up in a town much like the one on screen, and the detail shows.",
    "I watched it in a half-empty multiplex on a wet weekday afternoon, which may be the ideal setting for it.",
    "Much of it was shot on location, in real weather, with a small crew, and the production notes make a "
    "great deal of that.",
    "Comparisons with the classics of the genre are inevitable, and {Ds} seems to invite them.",
]
CLOSERS = {
    ("fresh", "strong"): ["Don't miss it.", "See it on the biggest screen you can find.",
                          "It is a triumph, and I can't wait to see it again."],
    ("fresh", "lean"): ["Flaws and all, it is worth your time.", "It is a solid, enjoyable watch, if not a great one.",
                        "On balance, recommended."],
    ("rotten", "lean"): ["It is a near miss, but a miss all the same.", "Wait for it to turn up on streaming.",
                         "Some will find enough here to enjoy; I mostly found it frustrating."],
    ("rotten", "strong"): ["Skip it.", "Save your money.", "It is a mess, and a dull one at that."],
}
TAGLINES = {
    "fresh": ["a gripping {g}", "a beautifully shot {g} that earns its tears", "a triumph",
              "a thrilling, heartfelt ride", "smart, moving and very well acted"],
    "rotten": ["a tedious {g} that falls flat", "an overlong mess", "wooden and weightless",
               "a dull misfire", "all style, no story"],
}


# ---------------------------------------------------------------- cast, crew, critics
def surname(name: str) -> str:
    """Everything after the first given name ("Lena de Marco" -> "de Marco")."""
    return name.split(" ", 1)[1]


def name_drawer(rng: random.Random):
    """Return draw(gender) giving fictional full names with globally unique first and last names."""
    pools = {"f": FEMALE_FIRST[:], "m": MALE_FIRST[:]}
    surs = PEOPLE_SUR[:]
    for pool in (pools["f"], pools["m"], surs):
        rng.shuffle(pool)

    def draw(gender: str | None = None) -> str:
        """Next unused name of the given gender ('f'/'m'), or of either."""
        # crew and critics take from the fuller pool so both last to the end
        gender = gender or max("fm", key=lambda g: (len(pools[g]), rng.random()))
        return f"{pools[gender].pop()} {surs.pop()}"
    return draw


def build_films(rng: random.Random, draw) -> list[dict]:
    """Attach director, writer and cast (actor, character) to the film definitions."""
    films = []
    for spec in FILMS:
        film = dict(spec)
        film["director"] = draw()
        film["writer"] = film["director"] if film["key"] in WRITER_DIRECTORS else draw()
        film["cast"] = [{"actor": actor or draw("m" if char in MALE_CHARACTERS else "f"), "character": char}
                        for char, actor in spec["cast"]]
        films.append(film)
    return films


def build_critics(draw) -> list[dict]:
    """Seven critics per outlet, the first TOP_PER_OUTLET[i] of each outlet being top critics."""
    critics = []
    for i, outlet in enumerate(OUTLETS):
        for j in range(CRITICS_PER_OUTLET):
            critics.append({"name": draw(), "outlet": outlet["name"], "slug_outlet": outlet["slug"],
                            "top": j < TOP_PER_OUTLET[i]})
    return critics


# ---------------------------------------------------------------- review assignment
def assign_reviews(rng: random.Random, films: list[dict], critics: list[dict]) -> list[dict]:
    """Decide (film, outlet, critic, verdict, strength, date) for every review, N_REVIEWS in all."""
    by_outlet = {o["slug"]: [c for c in critics if c["slug_outlet"] == o["slug"]] for o in OUTLETS}
    plans = []
    for film in films:
        for outlet_slug, critic in _film_critics(rng, film, by_outlet):
            verdict = "fresh" if rng.random() < film["fresh_p"] else "rotten"
            strength = "strong" if rng.random() < 0.6 else "lean"
            plans.append(dict(film=film, outlet=outlet_slug, critic=critic, verdict=verdict,
                              strength=strength, published=_pub_date(rng, film)))
    assert len(plans) == N_REVIEWS, len(plans)
    return plans


def _film_critics(rng: random.Random, film: dict, by_outlet: dict) -> list[tuple[str, dict]]:
    """Spread a film's reviews over outlets; the blockbuster gets six critics (all top ones) per outlet."""
    if film.get("blockbuster"):
        return [(slug, c) for slug, cs in by_outlet.items() for c in cs[:6]]
    slugs = [o["slug"] for o in OUTLETS]
    rng.shuffle(slugs)
    pairs, used = [], set()
    for i in range(film["n"]):
        slug = slugs[i % len(slugs)]
        critic = rng.choice([c for c in by_outlet[slug] if c["name"] not in used])
        used.add(critic["name"])
        pairs.append((slug, critic))
    return pairs


def _pub_date(rng: random.Random, film: dict) -> date:
    """A date near the (re)release; retrospectives of old films are dated near the remake."""
    year = film["year"] if film["year"] >= 2000 else 2024
    month, day = film["release"]
    return date(year, month, day) + timedelta(days=rng.randint(-4, 40))


# ---------------------------------------------------------------- ratings
def num(v: float) -> str:
    """Print 4.0 as "4" and 3.5 as "3.5"."""
    return str(int(v)) if float(v).is_integer() else str(v)


RATING_POOLS = {
    "celluloid-review": {"fs": [4, 4.5, 5], "fl": [3.5, 4], "rl": [2.5, 2], "rs": [0.5, 1, 1.5, 2]},
    "screen-ledger": {"fs": [8, 9, 10], "fl": [7, 8], "rl": [5, 4], "rs": [2, 3, 4]},
    # 2.5/4 (62.5) is the deliberate borderline fresh print, like B- (63.6)
    "reel-talk": {"fs": [3.5, 4], "fl": [3, 3, 3, 2.5], "rl": [2, 1.5], "rs": [0.5, 1, 1.5]},
    "grade-point": {"fs": ["A+", "A", "A-", "B+"], "fl": ["B-", "B", "B-"], "rl": ["C", "C-"], "rs": ["D+", "D", "D-", "F"]},
    "starlight-post": {"fs": [4, 4.5, 5], "fl": [3.5, 4], "rl": [2.5, 2], "rs": [1, 1.5, 2]},
    "the-long-take": {"fs": [8, 9, 10], "fl": [7], "rl": [5, 4], "rs": [2, 3, 4]},
}


def pick_rating(rng: random.Random, outlet: str, verdict: str, strength: str) -> tuple[str | None, float | None, dict]:
    """Return (rating_raw, score, display info) for a critic's rating on the given side."""
    if outlet == "plainview":
        return None, None, {}
    value = rng.choice(RATING_POOLS[outlet][verdict[0] + strength[0]])
    if outlet == "celluloid-review":
        return f"{num(value)}/5", round(value * 20.0, 1), {"value": value, "best": 5}
    if outlet == "screen-ledger":
        return f"{value}/10", round(value * 10.0, 1), {"value": value, "best": 10, "meta": rng.random() < 0.4}
    if outlet == "reel-talk":
        return f"{num(value)}/4", round(value * 25.0, 1), {}
    if outlet == "grade-point":
        return value, LETTER_SCORES[value], {}
    if outlet == "starlight-post":
        return _star_row(rng, value)
    return f"{value} out of 10", round(value * 10.0, 1), {"closing": rng.random() < 0.5}


def _star_row(rng: random.Random, value: float) -> tuple[str, float, dict]:
    """A ★★★½ row, or for whole values sometimes a five-slot ★★☆☆☆ row."""
    full, half = int(value), not float(value).is_integer()
    if not half and rng.random() < 0.4:
        return "★" * full + "☆" * (5 - full), round(full / 5 * 100, 1), {}
    return "★" * full + ("½" if half else ""), round(value / 5 * 100, 1), {}


def score_of_raw(raw: str) -> float:
    """Normalise any rating print this site uses to 0-100 (used for comments and sidebars)."""
    if raw in LETTER_SCORES:
        return LETTER_SCORES[raw]
    if set(raw) <= set("★☆½"):
        full, half, empty = raw.count("★"), raw.count("½"), raw.count("☆")
        return round((full + 0.5 * half) / (full + empty if empty else 5) * 100, 1)
    m = re.fullmatch(r"([\d.]+)(?:/| out of )([\d.]+)", raw)
    return round(100 * float(m.group(1)) / float(m.group(2)), 1)


# ---------------------------------------------------------------- prose
SLOT_RE = re.compile(r"\{(\w+)\}")


class Prose:
    """Fills templates for one review and records which people and characters got named."""

    def __init__(self, film: dict, title: str):
        """Slots every sentence of this review may use."""
        d, w = film["director"], film["writer"]
        self.film = film
        self.people: set[str] = set()
        self.characters: set[str] = set()
        self.slots = {"T": (title, None), "Y": (str(film["year"]), None), "G": (film["genre"], None),
                      "D": (d, ("p", d)), "Ds": (surname(d), ("p", d)), "DS": (_start_safe(d), ("p", d)),
                      "W": (w, ("p", w)), "Ws": (surname(w), ("p", w))}
        for i, member in enumerate(film["cast"]):
            self.slots[f"C{i}"] = (member["character"], ("c", member["character"]))

    def fill(self, template: str, actor: dict | None = None, other: dict | None = None) -> str:
        """Substitute slots; A/B slots come from the given cast members."""
        slots = dict(self.slots)
        if actor:
            slots.update(_actor_slots("A", actor))
        if other:
            slots.update(_actor_slots("B", other))
        return SLOT_RE.sub(lambda m: self._use(slots[m.group(1)]), template)

    def _use(self, slot: tuple) -> str:
        """Text of a slot, recording the person or character it names."""
        text, ref = slot
        if ref:
            (self.people if ref[0] == "p" else self.characters).add(ref[1])
        return text


def _start_safe(name: str) -> str:
    """Surname fit to open a sentence: particle names ("de Marco") fall back to the full name."""
    sur = surname(name)
    return name if sur[0].islower() else sur


def _actor_slots(prefix: str, member: dict) -> dict:
    """Slots A/As/AS (or B/...) for an actor, plus C/Cf for the character when it is the A actor."""
    actor, char = member["actor"], member["character"]
    first = char.split()[0] if char.split()[0] not in ("Mrs", "Mr", "DI", "DS", "Pastor", "Principal",
                                                      "Uncle", "Queen", "Lady", "Old") else char
    slots = {prefix: (actor, ("p", actor)), prefix + "s": (surname(actor), ("p", actor)),
             prefix + "S": (_start_safe(actor), ("p", actor))}
    if prefix == "A":
        slots.update({"C": (char, ("c", char)), "Cf": (first, ("c", char))})
    return slots


def polarities(rng: random.Random, n: int, verdict: str, strength: str) -> list[str]:
    """Sentence polarities: all on the verdict's side, or about a third against it when leaning."""
    main, other = ("pos", "neg") if verdict == "fresh" else ("neg", "pos")
    flips = 0 if strength == "strong" else max(1, n // 3)
    pols = [other] * flips + [main] * (n - flips)
    rng.shuffle(pols)
    return pols


def compose_body(rng: random.Random, film: dict, title: str, verdict: str, strength: str,
                 long_form: bool = False) -> tuple[list[str], Prose]:
    """Write the review body as paragraphs of template sentences mentioning cast and crew."""
    prose = Prose(film, title)
    side = (verdict, strength)
    paras = [_intro_paragraph(rng, prose, film, side)]
    if long_form:
        paras.append(" ".join(prose.fill(t) for t in rng.sample(ESSAY, 2)))
    paras.append(_acting_paragraph(rng, prose, film, verdict, strength))
    paras.extend(_aspect_paragraphs(rng, prose, film, verdict, strength))
    outro = [prose.fill(t) for t in rng.sample(CONTEXT, rng.randint(1, 2))]
    paras.append(" ".join(outro + [rng.choice(CLOSERS[side])]))
    return paras, prose


def _intro_paragraph(rng, prose: Prose, film: dict, side: tuple[str, str]) -> str:
    """Opening paragraph: hook, logline, optional context and the thesis on the verdict's side."""
    # the remake pair shares a title, so their intros always print the year
    intros = [t for t in INTROS if "{Y}" in t] if film["title"] == "The Harvest" else INTROS
    intro = [prose.fill(rng.choice(intros)), prose.fill(film["logline"])]
    if film.get("extra"):
        intro.append(film["extra"])
    return " ".join(intro + [rng.choice(THESIS[side])])


def _acting_paragraph(rng, prose: Prose, film: dict, verdict: str, strength: str) -> str:
    """Two or three sentences on the lead and one or two supporting players."""
    cast = film["cast"][:]
    lead, rest = cast[0], cast[1:]
    rng.shuffle(rest)
    chosen = [lead] + rest[: rng.randint(1, 2)]
    sentences, used = [], set()
    for member, pol in zip(chosen, polarities(rng, len(chosen), verdict, strength)):
        options = [t for t in ACTING[pol] if t not in used]
        template = rng.choice(options)
        used.add(template)
        other = rng.choice([c for c in cast if c is not member])
        sentences.append(prose.fill(template, member, other))
    return " ".join(sentences)


def _aspect_paragraphs(rng, prose: Prose, film: dict, verdict: str, strength: str) -> list[str]:
    """Two paragraphs on craft aspects (direction, script, music...) plus one theme sentence."""
    aspects = film["aspects"][:]
    rng.shuffle(aspects)
    aspects = aspects[: rng.randint(5, 6)]
    sentences = []
    for aspect, pol in zip(aspects, polarities(rng, len(aspects), verdict, strength)):
        actor = rng.choice(film["cast"])
        sentences.append(prose.fill(rng.choice(ASPECTS[aspect][pol]), actor))
    theme_pol = "pos" if verdict == "fresh" else "neg"
    sentences.insert(rng.randint(2, len(sentences)), rng.choice(THEMES[theme_pol]))
    cut = rng.randint(2, len(sentences) - 2)
    return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]


def word_count(paragraphs: list[str]) -> int:
    """Whitespace-separated words of the review body as printed."""
    return sum(len(p.split()) for p in paragraphs)


def tagline(rng: random.Random, film: dict, verdict: str) -> str:
    """A short headline phrase on the verdict's side."""
    genre = film["genre"].split()[-1]
    return rng.choice(TAGLINES[verdict]).format(g=genre)


# ---------------------------------------------------------------- reader comments, sidebar, boilerplate
COMMENT_TEMPLATES = [
    ("x/10", "Saw it on opening night. I'd say {r}, the ending made no sense to me."),
    ("letter", "Grade: {r}. Better than this review suggests, honestly."),
    ("stars", "{r} Best thing I've seen all year!"),
    ("x/4", "Rating: {r} from me. The critic is way off on this one."),
    ("outof10", "Honestly? {r}. My partner fell asleep halfway through."),
    ("x/5", "Not sure about this review. {r} for me, tops."),
    ("outof10", "Took my dad, he gave it {r} and he hates everything."),
    ("x/10", "Solid {r}. The music alone is worth the ticket."),
    ("stars", "My rating: {r}"),
    ("letter", "Grade {r} if I'm being generous. Way too long."),
]


def comment_rating(rng: random.Random, kind: str) -> str:
    """A reader's rating print of the given kind."""
    if kind == "x/10":
        return f"{rng.randint(1, 10)}/10"
    if kind == "outof10":
        return f"{rng.randint(1, 10)} out of 10"
    if kind == "letter":
        return rng.choice(list(LETTER_SCORES))
    if kind == "x/4":
        return f"{num(rng.randint(1, 8) / 2)}/4"
    if kind == "x/5":
        return f"{num(rng.randint(1, 10) / 2)}/5"
    full = rng.randint(0, 5)
    return "★" * full + "☆" * (5 - full) if rng.random() < 0.5 or full == 0 else "★" * full


def make_comments(rng: random.Random, critic_raw: str | None, critic_score: float | None) -> list[dict]:
    """Two to four reader comments, each rating the film differently from the critic."""
    comments = []
    n = rng.randint(2, 4)
    for (kind, text), author in zip(rng.sample(COMMENT_TEMPLATES, n), rng.sample(HANDLES, n)):
        raw = comment_rating(rng, kind)
        while raw == critic_raw or score_of_raw(raw) == critic_score:
            raw = comment_rating(rng, kind)
        day = rng.randint(1, 9)
        comments.append({"author": author, "text": text.format(r=raw), "raw": raw, "days_after": day})
    return comments


def e(text: object) -> str:
    """HTML-escape text and attribute values."""
    return html.escape(str(text), quote=True)


def human_date(d: date) -> str:
    """'March 14, 2025' without locale dependence."""
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def cookie_banner(px: str) -> str:
    """The consent banner every page carries."""
    return (f'<div class="cookie-banner {px}-consent" role="dialog" aria-label="Cookie consent">'
            '<p>We use cookies to improve your experience and to show personalised advertising. '
            'See our <a href="/privacy.html">privacy policy</a>.</p>'
            '<button type="button" class="cookie-accept">Accept all</button> '
            '<button type="button" class="cookie-manage">Manage preferences</button></div>')


def site_nav(px: str, outlet: dict) -> str:
    """Top navigation; one link leaves the site."""
    about = outlet.get("about", f"/{outlet['slug']}/about.html")
    items = [("/reviews/", "Reviews"), ("/reviews/page/2/", "Archive"), (about, "About us"),
             ("/contact.html", "Contact"), ("https://example.com/subscribe", "Subscribe")]
    lis = "".join(f'<li class="{px}-nav-item"><a href="{href}">{label}</a></li>' for href, label in items)
    return f'<nav class="site-nav {px}-nav" aria-label="Main"><ul>{lis}</ul></nav>'


def share_block(px: str, path: str, headline: str) -> str:
    """Share buttons pointing at off-site sharers."""
    url = BASE + path
    return (f'<div class="share {px}-share"><span class="share-label">Share this review</span> '
            f'<a class="share-btn share-x" rel="nofollow noopener" href="https://x.com/intent/tweet?url={url}">Post</a> '
            f'<a class="share-btn share-facebook" rel="nofollow noopener" '
            f'href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> '
            f'<a class="share-btn share-email" href="mailto:?subject={e(headline)}&amp;body={url}">Email</a></div>')


def comments_block(px: str, comments: list[dict], published: date) -> str:
    """Reader comments, each with its own rating print."""
    items = []
    for c in comments:
        d = published + timedelta(days=c["days_after"])
        items.append(f'<li class="comment {px}-comment"><div class="comment-meta"><span class="comment-author">'
                     f'{e(c["author"])}</span> <time datetime="{d.isoformat()}">{human_date(d)}</time></div>'
                     f'<p class="comment-body">{e(c["text"])}</p></li>')
    return (f'<section class="comments {px}-comments" id="comments"><h3>{len(comments)} reader comments</h3>'
            f'<ol class="comment-list">{"".join(items)}</ol>'
            '<p class="comment-policy">Comments are moderated. Be kind.</p></section>')


def sidebar_block(px: str, more: list[dict], top10: list[dict]) -> str:
    """Sidebar widgets: other films (some starred), a numbered top 10 and a newsletter box."""
    lis = []
    for item in more:
        stars = f' <span class="mini-rating">{item["stars"]}</span>' if item["stars"] else ""
        lis.append(f'<li><a href="{item["href"]}">{e(item["title"])}</a>{stars}</li>')
    tops = "".join(f'<li><span class="rank">{i}.</span> {e(f["title"])} ({f["year"]})</li>'
                   for i, f in enumerate(top10, 1))
    return (f'<aside class="sidebar {px}-rail"><section class="widget widget-more"><h3 class="widget-title">'
            f'More reviews</h3><ul>{"".join(lis)}</ul></section>'
            f'<section class="widget widget-top10"><h3 class="widget-title">Top 10 of the year</h3>'
            f'<ol class="top-ten">{tops}</ol></section>'
            '<section class="widget widget-newsletter"><h3 class="widget-title">Newsletter</h3>'
            '<p>Get our weekly round-up of new releases in your inbox.</p>'
            '<form action="/newsletter" method="post"><input type="email" name="email" placeholder="you@example.com">'
            '<button type="submit">Sign up</button></form></section></aside>')


def site_footer(px: str, outlet_name: str) -> str:
    """Footer links and copyright line."""
    return (f'<footer class="site-footer {px}-footer"><ul class="footer-links"><li><a href="/about.html">About</a></li>'
            '<li><a href="/contact.html">Contact</a></li><li><a href="/privacy.html">Privacy</a></li>'
            '<li><a href="/feed.xml">RSS</a></li></ul>'
            f'<p class="copyright">&copy; 2025 {e(outlet_name)}. All rights reserved.</p></footer>')


def paras_html(paragraphs: list[str], last_class: str | None = None) -> str:
    """Paragraphs as <p> elements; the last may carry a class."""
    out = [f"<p>{e(p)}</p>" for p in paragraphs]
    if last_class:
        out[-1] = out[-1].replace("<p>", f'<p class="{last_class}">', 1)
    return "\n".join(out)


def head(title: str, path: str, metas: list[tuple[str, str, str]], extra: str = "") -> str:
    """<head> with title, canonical link and (attr, key, content) meta tags."""
    meta = "".join(f'<meta {a}="{k}" content="{e(v)}">\n' for a, k, v in metas)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{e(title)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="canonical" href="{BASE}{path}">\n{meta}{extra}</head>\n')


def jsonld_script(data: dict) -> str:
    """A JSON-LD <script> block, safe against '</' in strings."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


# ---------------------------------------------------------------- the layouts
def og_metas(r: dict, title: str, site_name: bool = True) -> list[tuple[str, str, str]]:
    """OpenGraph and article:published_time meta tags."""
    metas = [("property", "og:type", "article"), ("property", "og:title", title),
             ("property", "og:url", BASE + r["path"]),
             ("property", "article:published_time", f"{r['published'].isoformat()}T09:00:00+00:00")]
    return ([("property", "og:site_name", r["outlet"]["name"])] if site_name else []) + metas


def celluloid_jsonld(r: dict) -> dict:
    """The Celluloid Review's Review object, bare or inside an @graph."""
    film, outlet = r["film"], r["outlet"]
    movie = {"@type": "Movie", "name": r["title"], r["disp"]["year_key"]: str(film["year"]),
             "director": {"@type": "Person", "name": film["director"]},
             "actor": [{"@type": "PerformanceRole", "actor": {"@type": "Person", "name": m["actor"]},
                        "characterName": m["character"]} for m in film["cast"]]}
    review = {"@type": "Review", "name": r["headline"], "url": BASE + r["path"], "itemReviewed": movie,
              "reviewRating": {"@type": "Rating", "ratingValue": r["disp"]["value"], "bestRating": 5, "worstRating": 0},
              "author": {"@type": "Person", "name": r["critic"]},
              "publisher": {"@type": "Organization", "name": outlet["name"]},
              "datePublished": r["published"].isoformat()}
    if not r["disp"]["graph"]:
        return {"@context": "https://schema.org", **review}
    page = {"@type": "WebPage", "@id": BASE + r["path"], "url": BASE + r["path"], "name": r["headline"]}
    org = {"@type": "Organization", "name": outlet["name"], "url": BASE + "/" + outlet["slug"] + "/about.html"}
    return {"@context": "https://schema.org", "@graph": [page, review, org]}


def layout_celluloid(r: dict) -> str:
    """Layout 1: WordPress-like article with JSON-LD rating."""
    px, o = "cr", r["outlet"]
    out = head(f"{r['headline']} | {o['name']}", r["path"], og_metas(r, r["headline"]), jsonld_script(celluloid_jsonld(r)))
    return out + f"""<body class="single single-review">
{cookie_banner(px)}
<header class="site-header"><a class="logo" href="/reviews/">{e(o['name'])}</a>
{site_nav(px, o)}</header>
<div class="site-wrap">
<main class="site-main" id="content">
<article class="review-article">
<header class="entry-header"><p class="kicker">Film review</p><h1 class="entry-title">{e(r['headline'])}</h1>
<p class="byline">By <span class="author-name">{e(r['critic'])}</span> &middot; <time class="published" datetime="{r['published'].isoformat()}">{human_date(r['published'])}</time></p></header>
<div class="entry-content">
{paras_html(r['paragraphs'])}
</div>
<footer class="entry-footer">{share_block(px, r['path'], r['headline'])}<p class="tags">Filed under: <a href="/reviews/">Reviews</a></p></footer>
</article>
{comments_block(px, r['comments'], r['published'])}
</main>
{sidebar_block(px, r['more'], r['top10'])}
</div>
{site_footer(px, o['name'])}
</body>
</html>
"""


def ledger_rating(d: dict) -> str:
    """Microdata Rating as visible spans or as <meta> tags."""
    if d["meta"]:
        return (f'<div class="sl-scorebox" itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
                f'<meta itemprop="ratingValue" content="{d["value"]}"><meta itemprop="bestRating" content="10">'
                f'<meta itemprop="worstRating" content="1"><span class="sl-score-big">{d["value"]}</span></div>')
    return (f'<div class="sl-scorebox" itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
            f'<span itemprop="ratingValue">{d["value"]}</span><span class="sl-outof">/'
            f'<span itemprop="bestRating">10</span></span><meta itemprop="worstRating" content="1"></div>')


def layout_ledger(r: dict) -> str:
    """Layout 2: div columns with schema.org microdata."""
    px, o, film = "sl", r["outlet"], r["film"]
    actors = ", ".join(f'<span itemprop="actor" itemscope itemtype="https://schema.org/Person">'
                       f'<span itemprop="name">{e(m["actor"])}</span></span>' for m in film["cast"])
    out = head(f"{r['headline']} - {o['name']}", r["path"], og_metas(r, r["headline"]))
    return out + f"""<body>
<div id="page" class="sl-page">
<div class="sl-topbar"><span class="sl-brand">{e(o['name'])}</span>{site_nav(px, o)}</div>
{cookie_banner(px)}
<div class="sl-columns">
<div class="sl-main" role="main">
<div class="review" itemscope itemtype="https://schema.org/Review">
<h1 class="sl-headline" itemprop="name">{e(r['headline'])}</h1>
<div class="sl-film" itemprop="itemReviewed" itemscope itemtype="https://schema.org/Movie">
<span class="sl-film-title" itemprop="name">{e(r['title'])}</span> (<span itemprop="dateCreated">{film['year']}</span>)
<div class="sl-credits">Director: <span itemprop="director" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{e(film['director'])}</span></span>.
Cast: {actors}</div>
</div>
{ledger_rating(r['disp'])}
<div class="sl-meta">Reviewed by <span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{e(r['critic'])}</span></span>,
<time itemprop="datePublished" datetime="{r['published'].isoformat()}">{r['published'].strftime('%d.%m.%Y')}</time></div>
<div class="sl-body" itemprop="reviewBody">
{paras_html(r['paragraphs'])}
</div>
</div>
{share_block(px, r['path'], r['headline'])}
{comments_block(px, r['comments'], r['published'])}
</div>
{sidebar_block(px, r['more'], r['top10'])}
</div>
{site_footer(px, o['name'])}
</div>
</body>
</html>
"""


def layout_reeltalk(r: dict) -> str:
    """Layout 3: OpenGraph film info, 'Rating: x/4' as the body's last line."""
    px, o, film = "rtw", r["outlet"], r["film"]
    og_title = f"{r['title']} ({film['year']}) review – {o['name']}"
    out = head(og_title, r["path"], og_metas(r, og_title) + [("name", "author", r["critic"])])
    return out + f"""<body class="rtw">
<div class="container">
<header class="rtw-masthead"><div class="rtw-logo">{e(o['name'])}</div>{site_nav(px, o)}</header>
<div class="row">
<div class="col-main">
<h1 class="rtw-title">{e(r['headline'])}</h1>
<div class="rtw-byline">By {e(r['critic'])}</div>
<div class="rtw-date"><time datetime="{r['published'].isoformat()}">{human_date(r['published'])}</time></div>
<section class="rtw-story">
{paras_html(r['paragraphs'], 'rtw-rating-line')}
</section>
{share_block(px, r['path'], og_title)}
{comments_block(px, r['comments'], r['published'])}
</div>
<div class="col-side">{sidebar_block(px, r['more'], r['top10'])}</div>
</div>
{site_footer(px, o['name'])}
</div>
{cookie_banner(px)}
</body>
</html>
"""


def layout_gradepoint(r: dict) -> str:
    """Layout 4: old table layout with a 'Grade:' header box."""
    px, o, film = "gp", r["outlet"], r["film"]
    cast = ", ".join(e(m["actor"]) for m in film["cast"])
    out = head(f"{r['headline']} :: {o['name']}", r["path"], og_metas(r, r["headline"]))
    return out + f"""<body id="gpc">
{cookie_banner(px)}
<table class="gp-frame" role="presentation"><tr><td colspan="2" class="gp-top">
<div class="gp-logo">{e(o['name'])}</div>{site_nav(px, o)}</td></tr>
<tr><td class="gp-content">
<div class="gp-article">
<div class="gp-headerbox">
<h1 class="gp-title">{e(r['headline'])}</h1>
<div class="gp-gradebox"><span class="gp-label">Grade:</span> <span class="gp-grade">{e(r['raw'])}</span></div>
<dl class="gp-facts"><dt>Directed by</dt><dd>{e(film['director'])}</dd><dt>Written by</dt><dd>{e(film['writer'])}</dd>
<dt>Starring</dt><dd>{cast}</dd></dl>
<p class="gp-reviewer">Reviewed by {e(r['critic'])} on <time datetime="{r['published'].isoformat()}">{human_date(r['published'])}</time></p>
</div>
<div class="gp-text">
{paras_html(r['paragraphs'])}
</div>
{share_block(px, r['path'], r['headline'])}
</div>
{comments_block(px, r['comments'], r['published'])}
</td><td class="gp-side">{sidebar_block(px, r['more'], r['top10'])}</td></tr>
<tr><td colspan="2">{site_footer(px, o['name'])}</td></tr></table>
</body>
</html>
"""


def layout_starlight(r: dict) -> str:
    """Layout 5: BEM-style story with a star row in the header."""
    px, o = "sp", r["outlet"]
    out = head(f"{r['headline']} | {o['name']}", r["path"], og_metas(r, r["headline"]))
    return out + f"""<body class="sp-body">
<header class="sp-header"><a class="sp-brand" href="/reviews/">{e(o['name'])}</a>{site_nav(px, o)}</header>
{cookie_banner(px)}
<div class="sp-layout">
<article class="sp-story">
<header class="sp-story__header">
<p class="sp-story__section">Arts &amp; Culture / Film</p>
<h1 class="sp-story__headline">{e(r['headline'])}</h1>
<div class="sp-stars">{r['raw']}</div>
<div class="sp-story__meta"><span class="sp-author">{e(r['critic'])}</span> <time datetime="{r['published'].isoformat()}T09:00:00Z">{human_date(r['published'])}</time></div>
</header>
<div class="sp-story__body">
{paras_html(r['paragraphs'])}
</div>
{share_block(px, r['path'], r['headline'])}
</article>
{sidebar_block(px, r['more'], r['top10'])}
</div>
{comments_block(px, r['comments'], r['published'])}
{site_footer(px, o['name'])}
</body>
</html>
"""


def layout_longtake(r: dict) -> str:
    """Layout 6: essay with 'N out of 10' in the closing prose or a verdict line."""
    px, o = "lt", r["outlet"]
    closing = r["disp"]["closing"]
    out = head(f"{r['headline']} — {o['name']}", r["path"], og_metas(r, r["headline"]))
    return out + f"""<body>
<div class="lt-shell">
{site_nav(px, o)}
<div class="essay">
<h1 class="essay-title">{e(r['headline'])}</h1>
<div class="essay-meta">{e(r['critic'])} &mdash; <time datetime="{r['published'].isoformat()}">{human_date(r['published'])}</time></div>
<div class="essay-text">
{paras_html(r['paragraphs'], None if closing else 'verdict')}
</div>
{share_block(px, r['path'], r['headline'])}
</div>
{sidebar_block(px, r['more'], r['top10'])}
{comments_block(px, r['comments'], r['published'])}
{site_footer(px, o['name'])}
</div>
{cookie_banner(px)}
</body>
</html>
"""


def layout_plainview(r: dict) -> str:
    """Layout 7: newspaper story without any rating."""
    px, o = "pj", r["outlet"]
    out = head(f"{r['headline']} - {o['name']}", r["path"], og_metas(r, r["headline"], site_name=False))
    return out + f"""<body class="pj">
{cookie_banner(px)}
<div class="pj-masthead"><h2 class="pj-nameplate">{e(o['name'])}</h2>{site_nav(px, o)}</div>
<div class="pj-grid">
<div class="pj-article">
<h2 class="pj-hed">{e(r['headline'])}</h2>
<p class="pj-dek">{e(r['dek'])}</p>
<div class="pj-byline">By {e(r['critic'])}, Staff Critic</div>
<div class="pj-dateline">Published {human_date(r['published'])}</div>
<div class="pj-text">
{paras_html(r['paragraphs'])}
</div>
{share_block(px, r['path'], r['headline'])}
{comments_block(px, r['comments'], r['published'])}
</div>
{sidebar_block(px, r['more'], r['top10'])}
</div>
{site_footer(px, o['name'])}
</body>
</html>
"""


LAYOUTS = {"celluloid-review": layout_celluloid, "screen-ledger": layout_ledger, "reel-talk": layout_reeltalk,
           "grade-point": layout_gradepoint, "starlight-post": layout_starlight, "the-long-take": layout_longtake,
           "plainview": layout_plainview}


# ---------------------------------------------------------------- review pages
HEADLINES = {
    "celluloid-review": "{T} review – {tag}", "screen-ledger": "Review: {T}", "reel-talk": "{T} is {tag}",
    "grade-point": "'{T}' ({Y})", "starlight-post": "{T} review: {tag}", "the-long-take": "On '{T}' ({Y})",
    "plainview": "Movie review: '{T}'",
}


def slugify(text: str) -> str:
    """Lowercase ASCII slug ("Hargrove & Daughters" -> "hargrove-daughters")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def review_path(outlet: str, film: dict, title: str, critic: str, d: date) -> str:
    """Clean URL path of a review; each outlet has its own scheme."""
    slug, who, sur = slugify(title), slugify(critic), slugify(surname(critic))
    return {
        "celluloid-review": f"/celluloid-review/{d.year}/{d.month:02d}/{slug}-review.html",
        "screen-ledger": f"/screen-ledger/reviews/{film['key']}/{who}/",
        "reel-talk": f"/reel-talk/{d.isoformat()}-{slug}.html",
        "grade-point": f"/grade-point/films/{film['key']}-{sur}.html",
        "starlight-post": f"/starlight-post/arts/film/{slug}-review-{sur}.html",
        "the-long-take": f"/the-long-take/{d.year}/{slug}-{who}/",
        "plainview": f"/plainview/culture/{d.year}/{d.month:02d}/{d.day:02d}/{slug}.html",
    }[outlet]


def unique_path(path: str, taken: set[str]) -> str:
    """Append -2, -3 ... before the extension until the path is unused."""
    if path.endswith("/"):
        stem, ext = path[:-1], "/"
    else:
        stem, ext = path.rsplit(".", 1)[0], "." + path.rsplit(".", 1)[1]
    candidate, n = path, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}{ext}", n + 1
    taken.add(candidate)
    return candidate


def build_review(rng: random.Random, plan: dict, outlets: dict, taken: set[str]) -> dict:
    """Everything about one review page except the cross-links (sidebar), which need all paths."""
    film, slug = plan["film"], plan["outlet"]
    title = film.get("short", film["title"]) if slug in SHORT_TITLE_OUTLETS else film["title"]
    long_form = slug in ("the-long-take", "plainview") or rng.random() < 0.2
    paragraphs, prose = compose_body(rng, film, title, plan["verdict"], plan["strength"], long_form)
    raw, score, disp = pick_rating(rng, slug, plan["verdict"], plan["strength"])
    add_rating_text(paragraphs, slug, raw, disp)
    disp.update(year_key=rng.choice(["dateCreated", "datePublished"]), graph=rng.random() < 0.5)
    tag = tagline(rng, film, plan["verdict"])
    critic = plan["critic"]["name"]
    return dict(
        film=film, outlet=outlets[slug], critic=critic, published=plan["published"], verdict=plan["verdict"],
        title=title, headline=HEADLINES[slug].format(T=title, Y=film["year"], tag=tag), tag=tag,
        dek=f"{film['director']}'s {film['genre']} is {tag}.", paragraphs=paragraphs, raw=raw, score=score,
        disp=disp, people=sorted(prose.people), characters=sorted(prose.characters),
        path=unique_path(review_path(slug, film, title, critic, plan["published"]), taken),
        comments=make_comments(rng, raw, score))


def add_rating_text(paragraphs: list[str], outlet: str, raw: str | None, disp: dict) -> None:
    """Print in-text ratings: Reel Talk's labelled line, The Long Take's closing sentence or verdict line."""
    if outlet == "reel-talk":
        paragraphs.append(f"Rating: {raw}")
    elif outlet == "the-long-take" and disp["closing"]:
        paragraphs[-1] += f" I'd give it {raw}."
    elif outlet == "the-long-take":
        paragraphs.append(f"Verdict: {raw}")


def attach_sidebars(rng: random.Random, reviews: list[dict], films: list[dict],
                    linkable: list[dict] | None = None) -> None:
    """Give each review a 'More reviews' widget (other films, some starred) and the shared top 10."""
    first_path = {}
    for r in sorted(linkable or reviews, key=lambda r: r["path"]):
        first_path.setdefault(r["film"]["key"], r["path"])
    top10 = rng.sample(films, 10)
    for r in reviews:
        others = rng.sample([f for f in films if f is not r["film"]], 4)
        r["top10"], r["more"] = top10, [_sidebar_item(rng, f, first_path[f["key"]], r) for f in others]


def _sidebar_item(rng: random.Random, film: dict, href: str, r: dict) -> dict:
    """A sidebar entry whose star row (if any) differs from the critic's rating."""
    stars = None
    if rng.random() < 0.75:
        stars = r["raw"]
        while stars == r["raw"] or score_of_raw(stars) == r["score"]:
            full = rng.randint(1, 5)
            stars = "★" * full + "☆" * (5 - full)
    return {"title": film["title"], "href": href, "stars": stars}


# ---------------------------------------------------------------- the Format Lab: one page per rating format or look-alike
# Built after (and with its own random stream from) the rest of the site, so the 160 main pages stay byte-identical.
LAB = dict(name="Format Lab Review", slug="format-lab", layout="format_lab", rating_format="one rating format per page")
LAB_SEED = SEED + 1
LAB_CRITICS = ["Ottoline Marsh-Pryor", "Benedek Halvorsen", "Clio Ashgrove", "Lysander Quaye", "Marguerite Fennimore",
               "Teodora Blum", "Ambrose Kettering"]
LOOKALIKES = {
    "dates": "It opened here on 5/10/2024, and the one scene that recalls 9/11 is handled with tact.",
    "24-7": "The heroine runs a 24/7 diner, and the film keeps the same hours.",
    "two-thirds": "About 2/3 of the film takes place inside a single kitchen.",
    "top-10": "Whether it makes anyone's top 10 list is beside the point.",
    "half-hour": "The first 1/2 hour is spent entirely on a night bus.",
    "mpaa": "It is Rated R for language, though a trimmed PG-13 cut is promised for television.",
    "titles": "Its dream sequences owe more to 8½ than to Se7en.",
}
# Each case: how the rating is printed ('jsonld' dict, 'attr' data attributes, 'line' labelled paragraph, 'row'
# standalone paragraph) and what tasks/ratings.py must read from it (rating_raw as it formats it, 0-100 score).
LAB_CASES = [
    dict(case="jsonld-strings", film="paper-lanterns-2025", verdict="fresh", raw="3.5/4", score=87.5,
         jsonld={"ratingValue": "3.5", "bestRating": "4"}, wrap="bare"),
    dict(case="jsonld-graph", film="saltmarsh-road-2024", verdict="rotten", raw="2/5", score=40.0,
         jsonld={"ratingValue": 2, "bestRating": 5, "worstRating": 0}, wrap="graph"),
    dict(case="jsonld-array", film="copperhead-summer-2024", verdict="fresh", raw="8/10", score=80.0,
         jsonld={"ratingValue": 8, "bestRating": 10}, wrap="array"),
    dict(case="jsonld-worst-rating", film="velvet-static-2025", verdict="fresh", raw="9/10", score=90.0,
         jsonld={"ratingValue": "9", "bestRating": "10", "worstRating": "1"}, wrap="bare"),
    dict(case="data-rating-attribute", film="the-quiet-arithmetic-2025", verdict="fresh", raw="3/4", score=75.0,
         attr={"data-rating": "3", "data-best": "4"}),
    dict(case="fraction-decimals-spaces", film="hargrove-and-daughters-2025", verdict="fresh", raw="3.5 / 5",
         score=70.0, line="Rating: 3.5 / 5", lookalike="dates"),
    dict(case="n-out-of-d", film="a-season-of-small-fires-2024", verdict="fresh", raw="7.5 out of 10", score=75.0,
         line="Score: 7.5 out of 10", lookalike="two-thirds"),
    dict(case="n-of-d-stars", film="the-glass-orchard-2025", verdict="rotten", raw="2 of 5 stars", score=40.0,
         line="Our rating: 2 of 5 stars", lookalike="half-hour"),
    dict(case="mixed-fraction-out-of", film="the-lighthouse-keepers-wife-2024", verdict="fresh", raw="3 1/2 out of 4",
         score=87.5, line="Rating: 3 1/2 out of 4"),
    dict(case="star-glyphs-half", film="paper-lanterns-2025", verdict="fresh", raw="★★★★½", score=90.0, row="★★★★½"),
    dict(case="star-glyphs-empty-slots", film="saltmarsh-road-2024", verdict="rotten", raw="★★☆☆☆", score=40.0,
         row="★★☆☆☆", lookalike="titles"),
    dict(case="asterisks-half", film="copperhead-summer-2024", verdict="fresh", raw="***1/2", score=70.0, row="***1/2"),
    dict(case="words-and-a-half-stars", film="velvet-static-2025", verdict="fresh", raw="three and a half stars",
         score=70.0, line="Verdict: three and a half stars"),
    dict(case="words-four-stars", film="hargrove-and-daughters-2025", verdict="fresh", raw="four stars", score=80.0,
         line="Rating: four stars", lookalike="24-7"),
    dict(case="letter-a-plus", film="the-quiet-arithmetic-2025", verdict="fresh", raw="A+", score=100.0,
         line="Grade: A+"),
    dict(case="letter-e", film="the-glass-orchard-2025", verdict="rotten", raw="E", score=0.0, line="Grade: E"),
    dict(case="letter-c-without-sign", film="saltmarsh-road-2024", verdict="rotten", raw="C", score=45.5,
         line="Grade: C", lookalike="mpaa"),
    dict(case="percentage", film="a-season-of-small-fires-2024", verdict="fresh", raw="82%", score=82.0,
         line="Score: 82%", lookalike="top-10"),
    # the rating widget states the scale but its value is filled in by script; the text prints the bare number
    dict(case="bare-number-scale-from-page-data", film="a-season-of-small-fires-2024", verdict="fresh", raw="3.5",
         score=87.5, attr={"data-rating": "", "data-scale": "4"}, line="Rating: 3.5"),
    dict(case="verdict-recommended", film="the-lighthouse-keepers-wife-2024", verdict="fresh", raw="Recommended",
         score=None, line="Verdict: Recommended"),
    dict(case="verdict-skip-it", film="the-glass-orchard-2025", verdict="rotten", raw="Skip it", score=None,
         line="Verdict: Skip it"),
    dict(case="verdict-must-see", film="copperhead-summer-2024", verdict="fresh", raw="Must see", score=None,
         line="Verdict: Must see"),
    dict(case="verdict-thumbs-up", film="paper-lanterns-2025", verdict="fresh", raw="Thumbs up", score=None,
         line="Verdict: Thumbs up"),
    dict(case="verdict-thumbs-down", film="velvet-static-2025", verdict="rotten", raw="Thumbs down", score=None,
         line="Verdict: Thumbs down"),
] + [dict(case=f"lookalike-{key}", film=film, verdict=verdict, raw=None, score=None, lookalike=key)
     for key, film, verdict in [("dates", "the-quiet-arithmetic-2025", "fresh"), ("24-7", "saltmarsh-road-2024", "rotten"),
                                ("two-thirds", "hargrove-and-daughters-2025", "fresh"),
                                ("top-10", "copperhead-summer-2024", "fresh"), ("half-hour", "velvet-static-2025", "rotten"),
                                ("mpaa", "the-lighthouse-keepers-wife-2024", "fresh"),
                                ("titles", "paper-lanterns-2025", "fresh")]]
MPAA_LINE = "MPAA rating: PG-13"  # a labelled certificate on the MPAA look-alike page: not a critic's rating


def build_lab_reviews(films: list[dict], taken: set[str]) -> list[dict]:
    """One Format Lab review per LAB_CASES entry, from its own random stream."""
    rng = random.Random(LAB_SEED)
    by_key = {f["key"]: f for f in films}
    reviews, seen = [], set()
    for i, case in enumerate(LAB_CASES):
        # no critic reviews one film twice: take the next critic in turn who has not
        critic = next(c for k in range(len(LAB_CRITICS)) if (case["film"], c := LAB_CRITICS[(i + k) % len(LAB_CRITICS)]) not in seen)
        seen.add((case["film"], critic))
        reviews.append(build_lab_review(rng, case, by_key[case["film"]], critic, taken))
    return reviews


def build_lab_review(rng: random.Random, case: dict, film: dict, critic: str, taken: set[str]) -> dict:
    """A review page printing its rating in one format, or carrying one look-alike in its body."""
    paragraphs, prose = compose_body(rng, film, film["title"], case["verdict"], "strong")
    if case.get("lookalike"):
        paragraphs[1] += " " + LOOKALIKES[case["lookalike"]]
    if case.get("lookalike") == "mpaa" and not case["raw"]:
        paragraphs.append(MPAA_LINE)
    if case.get("line") or case.get("row"):
        paragraphs.append(case.get("line") or case["row"])
    published = _pub_date(rng, film)
    tag = tagline(rng, film, case["verdict"])
    return dict(
        film=film, outlet=LAB, critic=critic, published=published, verdict=case["verdict"], title=film["title"],
        headline=f"'{film['title']}' ({film['year']})", tag=tag, dek=f"{film['director']}'s {film['genre']} is {tag}.",
        paragraphs=paragraphs, raw=case["raw"], score=case["score"], disp={}, case=case,
        people=sorted(prose.people), characters=sorted(prose.characters),
        path=unique_path(f"/format-lab/{case['case']}/{film['key']}.html", taken),
        comments=make_comments(rng, case["raw"], case["score"]))


def lab_jsonld(r: dict) -> dict | list:
    """The case's Review object: bare, inside an @graph, or in a top-level array."""
    film, case = r["film"], r["case"]
    review = {"@type": "Review", "name": r["headline"], "url": BASE + r["path"],
              "itemReviewed": {"@type": "Movie", "name": film["title"], "dateCreated": str(film["year"]),
                               "director": {"@type": "Person", "name": film["director"]}},
              "reviewRating": {"@type": "Rating", **case["jsonld"]},
              "author": {"@type": "Person", "name": r["critic"]},
              "publisher": {"@type": "Organization", "name": LAB["name"]}, "datePublished": r["published"].isoformat()}
    page = {"@type": "WebPage", "@id": BASE + r["path"], "name": r["headline"]}
    if case["wrap"] == "graph":
        return {"@context": "https://schema.org", "@graph": [page, review]}
    if case["wrap"] == "array":
        return [{"@context": "https://schema.org", **page}, {"@context": "https://schema.org", **review}]
    return {"@context": "https://schema.org", **review}


def layout_formatlab(r: dict) -> str:
    """Layout 8: a plain article; the rating is wherever the page's case puts it."""
    px, o, case = "fl", r["outlet"], r["case"]
    extra = jsonld_script(lab_jsonld(r)) if case.get("jsonld") else ""
    attrs = "".join(f' {k}="{e(v)}"' for k, v in case.get("attr", {}).items())
    meter = f'<div class="fl-meter"{attrs}></div>\n' if attrs else ""
    out = head(f"{r['headline']} | {o['name']}", r["path"], og_metas(r, r["headline"]), extra)
    return out + f"""<body class="fl">
{cookie_banner(px)}
<header class="fl-header"><a class="fl-logo" href="/reviews/">{e(o['name'])}</a>
{site_nav(px, o)}</header>
<div class="fl-wrap">
<main class="fl-main">
<article class="fl-article">
<h1 class="fl-title">{e(r['headline'])}</h1>
<p class="fl-byline">By <span class="fl-author">{e(r['critic'])}</span></p>
<p class="fl-date"><time datetime="{r['published'].isoformat()}">{human_date(r['published'])}</time></p>
{meter}<div class="fl-text">
{paras_html(r['paragraphs'])}
</div>
{share_block(px, r['path'], r['headline'])}
</article>
{comments_block(px, r['comments'], r['published'])}
</main>
{sidebar_block(px, r['more'], r['top10'])}
</div>
{site_footer(px, o['name'])}
</body>
</html>
"""


LAYOUTS["format-lab"] = layout_formatlab

# ---------------------------------------------------------------- site-level files
OFFSITE_URL = "https://example.com/partner/cinema-tickets"
HUB = {"name": "Demo Film Reviews", "slug": "reviews", "about": "/about.html"}


def simple_page(title: str, path: str, body: str) -> str:
    """A plain hub page (listing, about, contact) with nav, cookie banner and footer."""
    out = head(f"{title} | {HUB['name']}", path, [("property", "og:site_name", HUB["name"])])
    return out + (f'<body class="hub">\n{cookie_banner("hub")}\n<header class="hub-header">{site_nav("hub", HUB)}</header>\n'
                  f'<main class="hub-main">\n<h1>{e(title)}</h1>\n{body}\n</main>\n{site_footer("hub", HUB["name"])}\n'
                  '</body>\n</html>\n')


def listing_path(page: int) -> str:
    """URL path of listing page n."""
    return "/reviews/" if page == 1 else f"/reviews/page/{page}/"


def listing_pages(reviews: list[dict]) -> list[dict]:
    """Newest-first pages of PER_LISTING_PAGE reviews; every fourth link carries a utm suffix."""
    pages = []
    for start in range(0, len(reviews), PER_LISTING_PAGE):
        chunk, page = reviews[start:start + PER_LISTING_PAGE], start // PER_LISTING_PAGE + 1
        hrefs = [r["path"] + ("?utm_source=listing" if (start + i) % 4 == 1 else "") for i, r in enumerate(chunk)]
        last = start + PER_LISTING_PAGE >= len(reviews)
        pages.append({"path": listing_path(page), "page": page, "review_paths": [r["path"] for r in chunk],
                      "hrefs": hrefs, "next": None if last else listing_path(page + 1),
                      "prev": listing_path(page - 1) if page > 1 else None})
    return pages


def render_listing(lp: dict, reviews: list[dict]) -> str:
    """One listing page with rel=prev/next links and an off-site partner link."""
    items = "\n".join(
        f'<li class="review-item"><a href="{e(href)}">{e(r["headline"])}</a> <span class="outlet">{e(r["outlet"]["name"])}'
        f'</span> <time datetime="{r["published"].isoformat()}">{human_date(r["published"])}</time></li>'
        for href, r in zip(lp["hrefs"], reviews))
    nav = [f'<a rel="prev" href="{lp["prev"]}">Newer reviews</a>'] if lp["prev"] else []
    nav += [f'<a rel="next" href="{lp["next"]}">Older reviews</a>'] if lp["next"] else []
    body = (f'<ul class="review-list">\n{items}\n</ul>\n<nav class="pagination">{" ".join(nav)}</nav>\n'
            f'<p class="partner">Sponsored: <a href="{OFFSITE_URL}">Book cinema tickets with our partner</a></p>')
    return simple_page(f"Latest reviews – page {lp['page']}", lp["path"], body)


RFC822_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def rfc822(d: date) -> str:
    """RSS date at a fixed 09:00 UTC."""
    return f"{RFC822_DAYS[d.weekday()]}, {d.day:02d} {MONTHS[d.month - 1][:3]} {d.year} 09:00:00 +0000"


def excerpt(text: str, limit: int = 200) -> str:
    """Cut at a word boundary and mark the cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def render_feed(newest: list[dict]) -> str:
    """RSS 2.0 with the newest reviews."""
    items = "".join(
        f"<item><title>{e(r['headline'])}</title><link>{BASE}{r['path']}</link>"
        f"<guid isPermaLink=\"true\">{BASE}{r['path']}</guid><pubDate>{rfc822(r['published'])}</pubDate>"
        f"<category>{e(r['outlet']['name'])}</category><description>{e(excerpt(r['paragraphs'][0]))}</description></item>\n"
        for r in newest)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
            f"<title>{HUB['name']}</title>\n<link>{BASE}/reviews/</link>\n"
            "<description>The newest film reviews from our eight outlets.</description>\n<language>en</language>\n"
            f"{items}</channel>\n</rss>\n")


def urlset(entries: list[tuple[str, date]]) -> str:
    """A sitemap <urlset> with lastmod dates."""
    urls = "".join(f"<url><loc>{BASE}{p}</loc><lastmod>{d.isoformat()}</lastmod></url>\n" for p, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n")


def sitemap_index(children: list[tuple[str, date]]) -> str:
    """A sitemap index naming the child sitemaps."""
    maps = "".join(f"<sitemap><loc>{BASE}{p}</loc><lastmod>{d.isoformat()}</lastmod></sitemap>\n" for p, d in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{maps}</sitemapindex>\n")


ROBOTS = f"User-agent: *\nDisallow: /private/\n\nSitemap: {BASE}/sitemap_index.xml\n"
DRAFT_PATH = "/private/draft-review.html"
SITE_DATE = date(2025, 12, 31)


def static_pages() -> dict[str, str]:
    """About/contact/privacy pages: the hub's and one about page per outlet."""
    pages = {
        "/about.html": simple_page("About", "/about.html", "<p>Demo Film Reviews collects criticism from eight "
                                   "independent outlets. Every film, critic and outlet here is fictional.</p>"),
        "/contact.html": simple_page("Contact", "/contact.html", "<p>Write to the editors at "
                                     '<a href="mailto:editors@example.com">editors@example.com</a>.</p>'),
        "/privacy.html": simple_page("Privacy policy", "/privacy.html", "<p>We store a cookie to remember your "
                                     "consent choice and nothing else.</p>"),
    }
    for o in OUTLETS + [LAB]:
        path = f"/{o['slug']}/about.html"
        pages[path] = simple_page(f"About {o['name']}", path, f"<p>{e(o['name'])} has published film criticism "
                                  "since 2009. Our critics see everything so you don't have to.</p>")
    return pages


def draft_page() -> str:
    """An unpublished review under /private/ (listed in a sitemap, disallowed by robots.txt)."""
    data = {"@context": "https://schema.org", "@type": "Review", "name": "DRAFT: Velvet Static review",
            "itemReviewed": {"@type": "Movie", "name": "Velvet Static", "dateCreated": "2025"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 0},
            "author": {"@type": "Person", "name": "Unassigned"}, "datePublished": "2025-11-30"}
    body = ("<p>DRAFT - NOT FOR PUBLICATION. Velvet Static is a tedious mess, overlong and wooden; the "
            "editor should check the facts in this paragraph before it goes anywhere.</p>")
    return head("DRAFT: Velvet Static review", DRAFT_PATH, [("name", "robots", "noindex")],
                jsonld_script(data)) + f"<body class=\"draft\">\n{body}\n</body>\n</html>\n"


# ---------------------------------------------------------------- truth and output
def truth_review(r: dict) -> dict:
    """The truth record of one review."""
    return {"path": r["path"], "film_key": r["film"]["key"], "outlet": r["outlet"]["name"], "critic": r["critic"],
            "published_at": r["published"].isoformat(), "rating_raw": r["raw"], "score": r["score"],
            "verdict": r["verdict"], "has_rating": r["raw"] is not None, "headline_title": r["title"],
            "headline": r["headline"], "people_mentioned": r["people"], "characters_mentioned": r["characters"],
            "word_count": word_count(r["paragraphs"]), **lab_truth(r),
            **({"syndicated_of": r["syndicated_of"]} if "syndicated_of" in r else {})}


def lab_truth(r: dict) -> dict:
    """Format Lab pages also name their case, and verdict-word pages the verdict the word sets."""
    case = r.get("case")
    if not case:
        return {}
    out = {"format_case": case["case"], "lookalike": case.get("lookalike")}
    if case["raw"] and case["score"] is None:
        out["verdict_from_word"] = case["verdict"]
    return out


def build_truth(films, critics, reviews, listings, sitemaps) -> dict:
    """The ground truth the pipeline is scored against."""
    return {
        "films": [{"film_key": f["key"], "title": f["title"], "year": f["year"], "director": f["director"],
                   "writer": f["writer"], "cast": f["cast"], "aliases": [f["short"]] if f.get("short") else []}
                  for f in films],
        "outlets": [{k: o[k] for k in ("name", "slug", "layout", "rating_format")} for o in OUTLETS + [LAB]],
        "critics": [{"name": c["name"], "outlet": c["outlet"]} for c in critics]
                   + [{"name": name, "outlet": LAB["name"]} for name in LAB_CRITICS],
        "top_critics": [c["name"] for c in critics if c["top"]],
        "identity": {"syndicated": SYNDICATED, "two_spellings": TWO_SPELLINGS,
                     "imdb": {"left_out": sorted(IMDB_LEFT_OUT), "akas": IMDB_AKAS, "decoys": IMDB_DECOYS}},
        "reviews": [truth_review(r) for r in sorted(reviews, key=lambda r: r["path"])],
        "extra_urls": [{"path": DRAFT_PATH, "outcome": "robots"}],
        "offsite_urls": [{"url": OFFSITE_URL, "outcome": "offsite"}],
        "listing_pages": listings,
        "sitemaps": sitemaps,
        "notes": "word_count counts the printed body incl. in-text rating lines; 'Rating: 2.5/4' (62.5) and "
                 "'B-' (63.6) are the only fresh scores below 70. Format Lab Review pages name their format_case: each prints "
                 "one rating format, or carries one look-alike (lookalike) that must not be read as a rating; "
                 "verdict_from_word is the verdict a printed verdict word sets without a score.",
    }


def plan_sitemaps(newest: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """Split reviews over reviews-1.xml (plus the draft) and reviews-2.xml.gz; about pages in pages.xml."""
    half = len(newest) // 2
    ones = [(r["path"], r["published"]) for r in newest[:half]] + [(DRAFT_PATH, date(2025, 11, 30))]
    twos = [(r["path"], r["published"]) for r in newest[half:]]
    pages = [(p, SITE_DATE) for p in static_pages()]
    children = [("/sitemaps/reviews-1.xml", ones), ("/sitemaps/reviews-2.xml.gz", twos), ("/sitemaps/pages.xml", pages)]
    files = {p: urlset(entries) for p, entries in children}
    files["/sitemap_index.xml"] = sitemap_index([(p, max(d for _, d in entries)) for p, entries in children])
    meta = [{"path": "/sitemap_index.xml", "kind": "index", "gzipped": False, "entries": [p for p, _ in children]}]
    meta += [{"path": p, "kind": "urlset", "gzipped": p.endswith(".gz"), "entries": [q for q, _ in entries]}
             for p, entries in children]
    return meta, files


# ---------------------------------------------------------------- identity pages
# One review syndicated to three outlets (the second print trims a paragraph) and one critic under two spellings.
# Built after the rest with their own random stream, so the pages above stay byte-identical.
IDENTITY_SEED = SEED + 2
SYNDICATED = dict(critic="Aurora Fenwick-Hale", film="paper-lanterns-2025", verdict="fresh",
                  outlets=["screen-ledger", "plainview", "starlight-post"], days=[0, 3, 6])
TWO_SPELLINGS = dict(outlet="grade-point", names=["Bartholomew J. Quarrie", "Bartholomew Quarrie"],
                     films=["velvet-static-2025", "saltmarsh-road-2024"], verdicts=["rotten", "fresh"])


def build_identity_reviews(films: list[dict], outlets: dict, taken: set[str]) -> list[dict]:
    """The syndicated review's three prints, then the two-spelling critic's two reviews."""
    rng = random.Random(IDENTITY_SEED)
    by_key = {f["key"]: f for f in films}
    film = by_key[SYNDICATED["film"]]
    paragraphs, prose = compose_body(rng, film, film["title"], SYNDICATED["verdict"], "strong", long_form=True)
    first = _pub_date(rng, film)
    reviews = []
    for n, (slug, days) in enumerate(zip(SYNDICATED["outlets"], SYNDICATED["days"])):
        printed = paragraphs[:2] + paragraphs[3:] if n == 1 else list(paragraphs)  # the second print trims one
        plan = dict(film=film, outlet=slug, critic={"name": SYNDICATED["critic"]}, verdict=SYNDICATED["verdict"],
                    strength="strong", published=first + timedelta(days=days))
        review = _identity_review(rng, plan, outlets, taken, printed, prose)
        review["syndicated_of"] = reviews[0]["path"] if reviews else None
        text = " ".join(printed)  # the trimmed print names only the people its paragraphs still name
        review["people"] = [p for p in review["people"] if p in text or surname(p) in text]
        review["characters"] = [c for c in review["characters"] if c in text or c.split()[0] in text]
        reviews.append(review)
    for name, key, verdict in zip(TWO_SPELLINGS["names"], TWO_SPELLINGS["films"], TWO_SPELLINGS["verdicts"]):
        plan = dict(film=by_key[key], outlet=TWO_SPELLINGS["outlet"], critic={"name": name}, verdict=verdict,
                    strength="strong", published=_pub_date(rng, by_key[key]))
        body, prose = compose_body(rng, by_key[key], by_key[key]["title"], verdict, "strong", long_form=True)
        reviews.append(_identity_review(rng, plan, outlets, taken, body, prose))
    return reviews


def _identity_review(rng: random.Random, plan: dict, outlets: dict, taken: set[str], paragraphs: list[str],
                     prose: Prose) -> dict:
    """A review page like build_review's, with a given body."""
    film, slug = plan["film"], plan["outlet"]
    raw, score, disp = pick_rating(rng, slug, plan["verdict"], plan["strength"])
    disp.update(year_key="datePublished", graph=False)
    tag = tagline(rng, film, plan["verdict"])
    critic = plan["critic"]["name"]
    return dict(
        film=film, outlet=outlets[slug], critic=critic, published=plan["published"], verdict=plan["verdict"],
        title=film["title"], headline=HEADLINES[slug].format(T=film["title"], Y=film["year"], tag=tag), tag=tag,
        dek=f"{film['director']}'s {film['genre']} is {tag}.", paragraphs=paragraphs, raw=raw, score=score,
        disp=disp, people=sorted(prose.people), characters=sorted(prose.characters),
        path=unique_path(review_path(slug, film, film["title"], critic, plan["published"]), taken),
        comments=make_comments(rng, raw, score))


# ---------------------------------------------------------------- a tiny IMDb extract of the demo films
# The four files of IMDb's non-commercial datasets, in their format, for `critics catalogue import`: every film
# but The Glass Orchard (left unmatched), both Harvests (a remake pair), alternate titles, and decoys that must not
# match (a 1962 short of the same title, a TV episode).
IMDB_BASE = 9_100_000
IMDB_LEFT_OUT = {"the-glass-orchard-2025"}
IMDB_AKAS = {"ember-2025": [("Ember", "US"), ("Night Circuit: Ember", "GB")],
             "paper-lanterns-2025": [("Lanternes de papier", "FR")], "the-harvest-2024": [("Harvest", "US")]}
IMDB_DECOYS = [("short", "Paper Lanterns", 1962), ("tvEpisode", "Velvet Static", 2025), ("movie", "The Harvest", 2003)]


def imdb_files(films: list[dict]) -> dict[str, list[list[str]]]:
    """title.basics, title.akas, title.principals and name.basics rows (with headers) for the truth's films."""
    basics = [["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
               "runtimeMinutes", "genres"]]
    akas = [["titleId", "ordering", "title", "region", "language", "types", "attributes", "isOriginalTitle"]]
    principals = [["tconst", "ordering", "nconst", "category", "job", "characters"]]
    names = [["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"]]
    people: dict[str, str] = {}
    kept = [f for f in films if f["film_key"] not in IMDB_LEFT_OUT]
    for i, film in enumerate(kept):
        tconst = f"tt{IMDB_BASE + i:07d}"
        basics.append([tconst, "movie", film["title"], film["title"], "0", str(film["year"]), "\\N", "101", "Drama"])
        for n, (title, region) in enumerate(IMDB_AKAS.get(film["film_key"], []), start=1):
            akas.append([tconst, str(n), title, region, "\\N", "imdbDisplay", "\\N", "0"])
        credits = [(film["director"], "director", "\\N"), (film["writer"], "writer", "\\N")]
        credits += [(m["actor"], "actor", json.dumps([m["character"]])) for m in film["cast"]]
        for n, (name, category, characters) in enumerate(credits, start=1):
            nconst = people.setdefault(name, f"nm{IMDB_BASE + len(people):07d}")
            principals.append([tconst, str(n), nconst, category, "\\N", characters])
    for j, (kind, title, year) in enumerate(IMDB_DECOYS):
        basics.append([f"tt{IMDB_BASE + 500 + j:07d}", kind, title, title, "0", str(year), "\\N", "\\N", "\\N"])
    names += [[nconst, name, "\\N", "\\N", "\\N", "\\N"] for name, nconst in people.items()]
    return {"title.basics.tsv.gz": basics, "title.akas.tsv.gz": akas, "title.principals.tsv.gz": principals,
            "name.basics.tsv.gz": names}


def write_imdb(out: Path, files: dict[str, list[list[str]]]) -> None:
    """Write the extract as IMDb ships it: gzip, tab-separated, unquoted (mtime 0 for reproducible bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        text = "".join("\t".join(row) + "\n" for row in rows)
        (out / name).write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def build_site() -> tuple[dict[str, str], dict]:
    """All site files (URL path -> text) and the truth, from the fixed seed."""
    rng = random.Random(SEED)
    draw = name_drawer(rng)
    films = build_films(rng, draw)
    critics = build_critics(draw)
    outlets = {o["slug"]: o for o in OUTLETS}
    taken: set[str] = set()
    reviews = [build_review(rng, plan, outlets, taken) for plan in assign_reviews(rng, films, critics)]
    attach_sidebars(rng, reviews, films)
    lab = build_lab_reviews(films, taken)
    attach_sidebars(random.Random(LAB_SEED), lab, films, linkable=reviews)
    reviews += lab
    identity = build_identity_reviews(films, outlets, taken)
    attach_sidebars(random.Random(IDENTITY_SEED), identity, films, linkable=reviews)
    reviews += identity
    newest = sorted(reviews, key=lambda r: (-r["published"].toordinal(), r["path"]))
    files = {r["path"]: LAYOUTS[r["outlet"]["slug"]](r) for r in reviews}
    listings = listing_pages(newest)
    for lp in listings:
        files[lp["path"]] = render_listing(lp, newest[(lp["page"] - 1) * PER_LISTING_PAGE:lp["page"] * PER_LISTING_PAGE])
    sitemaps, sitemap_files = plan_sitemaps(newest)
    files.update(sitemap_files)
    files.update(static_pages())
    files.update({"/robots.txt": ROBOTS, "/feed.xml": render_feed(newest[:20]), DRAFT_PATH: draft_page(),
                  "/index.html": simple_page("Demo Film Reviews", "/", '<p><a href="/reviews/">Latest reviews</a></p>')})
    return files, build_truth(films, critics, reviews, listings, sitemaps)


def file_for(site: Path, url_path: str) -> Path:
    """Map a URL path to its file: directory URLs get index.html."""
    rel = url_path.lstrip("/")
    return site / rel / "index.html" if url_path.endswith("/") and rel else site / (rel or "index.html")


def write_output(out: Path, files: dict[str, str], truth: dict) -> None:
    """Replace out/site with the files (gzip for .gz, mtime 0) and write out/truth.json."""
    site = out / "site"
    if site.exists():
        shutil.rmtree(site)
    for url_path in sorted(files):
        target = file_for(site, url_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = files[url_path].encode("utf-8")
        target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if url_path.endswith(".gz") else data)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    files, truth = build_site()
    write_output(args.out, files, truth)
    write_imdb(args.out / "imdb", imdb_files(truth["films"]))


if __name__ == "__main__":
    main()
