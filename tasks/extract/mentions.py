"""People, character and film mentions in review text: credited names, their short forms, and uncredited names."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from critics.schemas.records import Credit, Mention
from critics.tasks.extract.aspects import mention_sentiment, sentence_at
from critics.tasks.extract.name_index import NameIndex

Sentiment = Callable[[str], float]

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŐŒŘŚŞŠŢŤŮŰŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēęěğıłńňőœřśşšţťůűźżž"
_PARTICLES = {"de", "da", "del", "della", "der", "den", "di", "du", "dos", "das", "van", "von", "la", "le",
              "ten", "ter", "bin", "al", "el", "st.", "mac", "y"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_HONORIFICS = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "lady", "lord", "agent", "detective",
               "det.", "captain", "capt.", "officer", "sergeant", "sgt.", "professor", "prof.", "uncle", "aunt",
               "king", "queen", "prince", "princess", "general", "colonel", "father", "mother", "sister",
               "brother", "saint", "miss", "young", "old", "little", "big", "baby", "the", "count", "judge",
               "doc", "coach", "chief", "inspector", "lieutenant", "major", "president", "senator", "mayor"}
_NOT_CHARACTERS = {"himself", "herself", "themselves", "narrator", "voice", "various", "self", "host",
                   "cameo", "uncredited", "additional voices", "guest"}

# English words that are also given names: never matched alone as a first name.
_WORD_NAMES = set("""will eve grace hope faith joy mark bill rose lily summer april may june august dawn guy
jack frank pat art bob rob sue ray chance chase hunter cash crystal amber ruby pearl violet iris holly ivy
daisy heather sky river stone drew gene christian earl sterling miles max don dean bishop king young brown
black white green gray grey long little price rich penny sunny misty honey candy destiny harmony melody
angel star storm rocky sandy dusty buck duke prince major marshal robin jay ward wade lane hall grant
mason carter taylor cole wolf fox hart bond bell page rich noble sage jade autumn winter brook brooks
lincoln jordan kelly dolly tiny sharp rusty bud butch red hank nick sly clay rod penny pip tom""".split())
# Frequent English words: a one-word title or name that is one of these needs quotes to count.
_COMMON = _WORD_NAMES | set("""a an the it its her him his he she they them us we you me my our your their up
down in on out of off over under after before again all any both each few more most other some such no nor
not only own same so than too very can just now then there here when where why how what who which this that
these those is are was were be been being have has had do does did go gone get got make made see seen say
said come came take took give gave love life time man woman men women boy girl child children day night
year world home house family friend friends war peace heart soul mind body blood fire water earth air
light dark sun moon rain snow wind road way end beginning book film movie story game party wedding
funeral money power truth lies secret secrets dream dreams fear hate anger rage passion desire greed
pride glory honor honour freedom justice mercy god heaven hell paradise people crash drive run rush
heat speed fury ghost spirit alien aliens monster monsters creed signs split glass up big nope tenet
arrival gravity interstellar inception her us it them elf cars coco soul onward luca turning point
room tall sing trolls frozen brave tangled wish elemental harvest dog cat breaks lucky
show hour minute week month club team gang squad street""".split())
_STOP = set("""January February March April May June July August September October November December Monday
Tuesday Wednesday Thursday Friday Saturday Sunday New York Los Angeles Hollywood America American Americans
British English French German Italian Spanish Japanese Chinese Korean Indian Irish Scottish Russian Mexican
European Asian African Australian Canadian London Paris Berlin Rome Tokyo Chicago Texas California Boston
Vegas Las San Francisco Miami Manhattan Brooklyn Washington Hong Kong Africa Europe Asia Britain England
Canada Australia Disney Pixar Marvel Warner Universal Paramount Netflix Amazon Fox Studios Studio Pictures
Columbia Lionsgate Miramax Sony Focus Searchlight Films Film Movie Movies Academy Award Awards Oscar Oscars
Emmy Golden Globe Globes Best Picture Actor Actress Director Supporting Festival Sundance Cannes Venice
Toronto Berlinale Street City Park University College School Times Post News Journal Magazine House White
World War Wars Star Trek Part Chapter Season Episode Show Series Book Bible Christmas Halloween Easter
Thanksgiving God Lord Jesus Christ Mr Mrs Ms Dr Sir Lady Miss King Queen Prince Princess Man Woman Men
Women Boy Girl Kid Kids Big Little Old Young Day Night Dark Knight Black White Red Blue Green Grand Great
High Low Big Mc The A An And But Or Nor For So Yet If Then When While Where Why What Who How This That
These Those There Here It Its He She They We You I His Her Their Our My Your As At By In On Of To From
With Without Into Onto Over Under After Before Since Until Though Although Even Still Just Only Also
Not No Yes All Some Any Every Each Both Most More Less Much Many Few Such Very Too Well Like Unlike Despite
Because Perhaps Maybe Sure Indeed Unfortunately Fortunately Sadly Thankfully Luckily Overall Ultimately
Instead Meanwhile However Nevertheless Nonetheless Otherwise Certainly Clearly Obviously Surely
Really Basically Essentially Anyway Besides Still Sometimes Often Never Always Once Twice Now Today
Tonight Tomorrow Yesterday Director's Mister Saint St Mount Lake River Island Bay Beach Valley Hill Hills
Road Avenue Square Center Centre Hotel Club Bar Cafe Restaurant Church Hospital Prison Court Museum
Theater Theatre Cinema Channel Network TV HBO BBC CBS NBC ABC CNN MTV PBS IMAX Blu Ray DVD CGI VFX Jr Sr
Internet Web Google Apple Facebook Twitter YouTube Instagram Tinder Uber Nazi Nazis Soviet Cold Civil
Vietnam Iraq Afghanistan Korea Japan China India Iran Israel Palestine Mexico Brazil Russia Germany
France Italy Spain Ireland Scotland Wales Ocean Atlantic Pacific Sea Earth Mars Moon Sun Space Galaxy
Republic Empire Kingdom Union States United Nations Federal Bureau Agency Police Department Army Navy
Air Force Marines Congress Senate White House Wall Street Broadway Off Comic Con Comics Avengers Justice
League Jedi Sith Batman Superman Spider Wonder Iron Captain Hulk Thor Potter Hogwarts Bond Rocky Rambo
Terminator Alien Predator Godzilla Kong Jurassic Harry Transformers Pirates Caribbean Lord Rings Hobbit
Middle Shire Narnia Twilight Hunger Games Fast Furious Mission Impossible Toy Story Shrek Frozen Cars
Avatar Titanic Matrix Scream Saw Halloween Friday Nightmare Elm Insidious Conjuring Paranormal Activity
Final Destination Resident Evil Underworld Planet Apes Kung Fu Panda Madagascar Despicable Minions Ice
Age Happy Feet Lego Muppets Sesame Stooges Beatles Stones Rolling Elvis Presley Shakespeare Dickens Austen
Hamlet Macbeth Romeo Juliet Othello Lear Gatsby Dracula Frankenstein Sherlock Tarzan Zorro
Robin Hood Peter Pan Alice Wonderland Oz Dorothy Cinderella Snow Sleeping Beauty Beast Grinch Santa
Claus Mickey Mouse Donald Duck Bugs Bunny Looney Tunes Scooby Doo Barbie Ken Bourne Jason Voorhees Freddy
Krueger Michael Chucky Hannibal Lecter Norman Indiana Luke Skywalker Darth Vader Han
Solo Obi Wan Kenobi Yoda Leia Kirk Spock Picard Mad Max Dirty Harry James""".split())
# Names above that are also real people's given names stay usable as first names.
_STOP -= {"James", "Michael", "Peter", "Robin", "Alice", "Dorothy", "Donald", "Jason", "Norman", "Ken",
          "Harry", "Max", "Han", "Luke", "Elvis"}

_FIRST_NAMES = set("""Aaron Abel Abigail Ada Adam Adele Adrian Adrien Adriana Agnes Agnès Aidan Aidy Akira
Al Alan Alana Albert Alberto Alden Alec Alejandro Alex Alexa Alexander Alexandra Alexis Alfonso Alfred Alfre
Ali Alice Alicia Alison Allison Alma Alvin Amanda Amber Amy Ana Andie Andre André Andrea Andrei Andrew Andy
Ang Angela Angelina Anjelica Ann Anna Annabelle Anne Annette Annie Anthony Anton Antonio Anya April Archie
Ari Ariana Ariel Arnold Art Arthur Ashley Ashton Asia Aubrey Audrey August Austin Ava Awkwafina Barbara
Barry Bart Ben Benedict Benicio Benjamin Bernard Bernardo Bette Betty Beverly Bill Billy Blake Bo Bob
Bobby Bong Boris Brad Bradley Brandon Brendan Brett Brian Brie Brigitte Britt Brittany Brooke Bruce Bruno
Bryan Bryce Burt Buster Cameron Camila Candice Cara Carey Carl Carla Carlos Carmen Carol Caroline Carrie
Cary Casey Cate Catherine Cathy Cecil Cedric Celine Céline Chadwick Channing Charles Charlie Charlize
Charlotte Chazz Cher Cheryl Chevy Chiwetel Chloe Chloë Chris Christian Christina Christine Christoph
Christopher Chuck Cillian Cindy Claire Clara Clark Claude Claudia Clint Colin Constance Corey Courteney
Courtney Craig Cuba Cynthia Dakota Damien Damon Dan Dana Dane Daniel Daniela Danielle Danny Dario Darren
Dave David Davis Dawn Dean Debbie Debra Delroy Demi Denis Denise Dennis Denzel Derek Dev Diane Diego Dolph
Dominic Don Donald Donna Doris Dorothy Doug Douglas Drew Dustin Dwayne Dylan Ed Eddie Eddy Edgar Edie
Edward Edwin Eileen Elaine Eli Elia Elijah Elisabeth Eliza Elizabeth Ella Elle Ellen Elliot Elliott Elsa
Emile Emilia Emily Emma Emmanuel Eric Erica Erich Erin Ernest Ernst Errol Ethan Ethel Eugene Eva Evan
Evangeline Ewan Ezra Fatih Federico Felicity Felix Fernando Finn Fiona Florence Forest Forrest Fran
Frances Francesca Francis Franco Frank Frankie Franz François Fred Freddie Frederick Gael Gal Gareth
Garrett Gary Gemma Gena Gene Geoffrey George Georgia Gerard Gérard Gillian Gina Ginger Giorgos Giovanni
Glenn Glen Gloria Goldie Gore Grace Graham Greg Greta Gregory Greer Guillermo Gus Gustav Guy Gwyneth
Hailee Haley Halle Hank Hannah Hans Harold Harris Harrison Harry Harvey Hayao Hayden Heath Heather Hector
Heidi Helen Helena Henry Herbert Hilary Hillary Hirokazu Holly Howard Hugh Hugo Ian Ice Ida Idris Ingmar
Ingrid Isaac Isabel Isabella Isabelle Issa Ivan Jack Jackie Jacob Jacques Jada Jaden Jake James Jamie
Jan Jane Janet Janelle Janet Jared Jason Javier Jay Jean Jeanne Jeff Jeffrey Jemaine Jena Jenna Jennifer
Jenny Jeremy Jerry Jesse Jessica Jessie Jill Jim Jimmy Jo Joan Joanna Joaquin Jodie Jody Joe Joel Joey
Johansson John Johnny Jon Jonah Jonathan Jordan Jordana Jorge José Joseph Josh Joshua Josie Joy Joyce
Juan Jude Judd Judi Judith Judy Jules Julia Julian Julianne Julie Juliette Julio Justin Kaley Karen Kari
Kat Kate Katharine Katherine Kathleen Kathryn Kathy Katie Katy Kay Keanu Keira Keith Kelly Kelsey Ken
Kenneth Kerry Kevin Kiefer Kim Kirk Kirsten Kit Kristen Kristin Krzysztof Kumail Kurt Kyle Lana Lance
Lars Laura Lauren Laurence Laurie Lea Leah Lee Leigh Leila Lena Leo Leon Leonard Leonardo Leslie Lewis
Liam Lily Linda Lindsay Lindsey Lin Lisa Liv Liz Logan Lois Lorraine Lou Louis Louise Luc Lucas Lucy
Luis Luke Lupita Lynn Madeline Madonna Mae Maggie Mahershala Malcolm Mandy Marc Marcel Marcello Marcia
Margaret Margot Maria Mariah Marie Marilyn Mario Marion Marisa Mark Marlon Martha Martin Mary Mathieu
Matt Matthew Maura Maureen Max Maya Meg Megan Mel Melanie Melissa Meryl Mia Michael Michaela Michel
Michelangelo Michele Michelle Mick Mickey Mike Mila Miles Miley Milla Miranda Molly Monica Morgan Nancy
Naomi Natalie Natasha Nathan Neil Nia Nic Nicholas Nick Nicolas Nicole Nikolaj Nina Noah Noomi Nora Norman
Octavia Olga Olivia Oliver Olivier Omar Orlando Orson Oscar Owen Paddy Pam Pamela Park Parker Pat Patricia
Patrick Patty Paul Paula Pedro Penelope Penélope Penny Pete Peter Phil Philip Phillip Philippe Phoebe
Pierce Pierre Quentin Rachel Rachael Rafe Ralph Ralf Rami Randall Randy Raquel Ray Raymond Rebecca Rebel
Reese Regina Richard Rick Ridley Riley Rob Robbie Robert Roberto Robin Rock Rodrigo Roger Roland Roman
Ron Ronald Rooney Rosamund Rosario Rose Rosie Ross Rowan Roy Ruby Rupert Russell Ruth Ryan Sacha Sally
Salma Sam Samantha Samuel Sandra Sara Sarah Saoirse Scarlett Scott Sean Sebastian Selena Sergio Seth
Shailene Shane Shannon Sharon Shawn Shia Shirley Sidney Sienna Sigourney Simon Sissy Sofia Sophia Sophie
Spike Stanley Stellan Stephanie Stephen Steve Steven Sue Susan Susanne Suzanne Sylvester Sylvia Takashi
Tamara Tammy Tara Taraji Taron Tatiana Taylor Ted Teresa Terence Terrence Terry Tessa Thandie Thandiwe
Theo Theodore Theresa Thomas Tilda Tim Timothy Timothée Tina Toby Todd Tom Tommy Toni Tony Tracy Travis
Trevor Tricia Troy Tyler Uma Val Valerie Vanessa Vera Veronica Vicky Victor Victoria Viggo Vin Vince
Vincent Viola Violet Virginia Vivien Viv Walter Wanda Warren Wes Wesley Whitney Will Willem William
Willie Win Winona Wong Woody Yorgos Yvonne Zac Zach Zachary Zack Zendaya Zoe Zoë Zooey Zhang Werner Wim
Jean-Luc Jean-Pierre Jean-Claude Jean-Paul Akiva Aziz Bill Buster Chantal Costa Darren Dario Dziga Elem
Fritz Sergei Sofia Yasujiro Kenji Lucrecia Lynne Mira Paolo Pier Rainer Sam Satyajit Abbas Asghar Apichatpong
Jafar Kelly Jodorowsky Jacques Kathryn Ava Greta Chloé Céline Ryusuke Kiyoshi Takeshi Shohei Hong Lee
Jia Tsai Edward Hou Ann Kar Jackie Chow Stephen Tsui Yimou Kaige Chen Ritesh Anurag Mira Deepa Vidhu
Rajkumar Aamir Shah Salman Priyanka Hrithik Ranveer Deepika Alia Ranbir Dev Riz Himesh Ben-Hur""".split())

# Context that makes a name that is also a film title the film: "the John Wick films", "in John Wick (2014)".
_FILM_AFTER = re.compile(r"^['\"’”]?(?:\s*\((?:18|19|20)\d\d\)|\s+(?:films?|movies?|franchise|series|saga|"
                         r"sequels?|prequels?|trilogy|universe|installments?|instalments?|entries|entry|"
                         r"chapters?|pictures?|remake|reboot|cycle|canon|world|spinoffs?|spin-offs?)\b)", re.I)
_ROLE_BEFORE = re.compile(r"\b(?:director|actor|actress|star|co-star|costar|filmmaker|writer|screenwriter|"
                          r"novelist|author|producer|composer|comedian|comic|singer|rapper|playwright|helmer|"
                          r"auteur|cinematographer|editor|newcomer|veteran|legend|icon|stars?|starring|"
                          r"directed\s+by|written\s+by|produced\s+by|narrated\s+by|voiced\s+by)\s+$", re.I)


@dataclass(frozen=True)
class _Entity:
    name: str
    kind: str  # person | character | film
    role: str | None


@dataclass(frozen=True)
class _Variant:
    surface: str  # the form as it would be written, e.g. "de Armas"
    entity: _Entity
    rank: int  # 0 full name, 1 surname, 2 first name
    needs_quotes: bool = False


def find_mentions(text: str, sentences: list[tuple[int, int]], credits: list[Credit],
                  film_title: str | None = None, known_films: Iterable[str] = (),
                  sentiment: Sentiment | None = None) -> list[Mention]:
    """Person, character and film mentions in text, non-overlapping and sorted by char_start."""
    # plain tuples as the cache key: a frozen dataclass rebuilds a tuple on every hash
    plan = _plan(tuple((c.name, c.role, c.character) for c in credits),
                 tuple(t for t in [film_title, *known_films] if t))
    spans = _pick_non_overlapping(_match_variants(text, sentences, plan))
    spans += _uncredited_names(text, sentences, spans, plan.known)
    spans.sort(key=lambda s: s[0])
    return [Mention(e.name, e.kind, e.role, text[a:b], a, b, mention_sentiment(text, sentences, a, sentiment))
            for a, b, e in spans]


def _credit_variants(credits: list[Credit]) -> list[_Variant]:
    """Full names, surnames and first names of credited people and of their characters."""
    variants: list[_Variant] = []
    people: dict[str, _Entity] = {}
    for credit in credits:
        name = " ".join(credit.name.split())
        if name and name not in people:
            same = next((e for e in people.values() if _same_person(e.name, name)), None)
            people[name] = same or _Entity(name, "person", credit.role)
            variants += _name_variants(name, people[name], is_character=False)
        for character in _character_names(credit.character):
            variants += _name_variants(character, _Entity(character, "character", None), is_character=True)
    return variants + _family_variants(list(dict.fromkeys(people.values())))


def _same_person(a: str, b: str) -> bool:
    """Two credited spellings of one person: same surname, first names sharing a prefix ('Dan'/'Danny')."""
    wa, wb = a.split(), b.split()
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    fa, fb = wa[0].lower(), wb[0].lower()
    return fa.startswith(fb[:3]) and fb.startswith(fa[:3])


def _family_variants(people: list[_Entity]) -> list[_Variant]:
    """'the Coen brothers', 'the Coens' for credited people sharing a surname: one mention naming them all."""
    by_surname: dict[str, list[_Entity]] = {}
    for person in people:
        if len(person.name.split()) > 1:
            by_surname.setdefault(person.name.split()[-1], []).append(person)
    variants = []
    for surname, members in by_surname.items():
        if len(members) > 1:
            variants += [_Variant(f"{surname}{word}", _family(members), 0)
                         for word in (" brothers", " Brothers", " Bros.", " Bros", " sisters", " Sisters",
                                      " siblings", "s")]
    return variants


def _character_names(raw: str | None) -> list[str]:
    """Usable character names from a credit's character field ('Young Carl (voice)' -> 'Young Carl')."""
    if not raw:
        return []
    names = []
    for part in re.split(r"\s*(?:/|;|\|)\s*", re.sub(r"\([^)]*\)", "", raw)):
        part = " ".join(part.split()).strip(" ,'\"")
        if part and part.lower() not in _NOT_CHARACTERS and part[0].isupper():
            names.append(part)
    return names


def _name_variants(name: str, entity: _Entity, is_character: bool) -> list[_Variant]:
    """The forms a name is written in: full, surname (with and without particles), first name."""
    tokens = name.split()
    core = [t for t in tokens if t.lower() not in _SUFFIXES] or tokens
    found = [_Variant(name, entity, 0)]
    if core != tokens:
        found.append(_Variant(" ".join(core), entity, 0))
    if len(core) < 2:
        if is_character and name.lower() in _COMMON:
            found = [_Variant(name, entity, 0, needs_quotes=False)]
        return found
    body = core[1:] if core[0].lower() in _HONORIFICS else core
    surname_at = len(core) - 1
    while surname_at > 1 and core[surname_at - 1].lower() in _PARTICLES:
        surname_at -= 1
    surnames = {" ".join(core[surname_at:]), core[-1]}
    for surname in surnames:
        if _usable_short(surname, is_character):
            found.append(_Variant(surname, entity, 1))
    first = body[0]
    if len(body) > 1 and _usable_short(first, is_character) and not re.fullmatch(r"(?:[A-Z]\.)+", first) \
            and first.lower() not in _WORD_NAMES:
        found.append(_Variant(first, entity, 2))
    return found


def _usable_short(word: str, is_character: bool) -> bool:
    """A surname or first name that can stand alone: capitalised, long enough, not a filler word."""
    if len(word) < 2 or len(word) == 2 and (is_character or word.lower() in _COMMON | _PARTICLES):
        return False
    if not word[0].isupper() and not word.split()[0].lower() in _PARTICLES:
        return False
    if word.lower() in _PARTICLES or is_character and word.lower() in _HONORIFICS:
        return False
    return not (is_character and word.lower() in _COMMON)


def _film_variants(titles: list[str]) -> list[_Variant]:
    """Film titles as written, plus the title without a franchise prefix ('Night Circuit: Ember' -> 'Ember')."""
    variants = []
    for title in dict.fromkeys(" ".join(t.split()) for t in titles):
        entity = _Entity(title, "film", None)
        forms = {title}
        if ":" in title:
            tail = title.split(":", 1)[1].strip()
            if len(tail) > 3 and not re.match(r"(?:Chapter|Part|Vol|Volume|Episode|\d)", tail):
                forms.add(tail)
        for form in forms:
            variants.append(_Variant(form, entity, 0, needs_quotes=form.lower() in _COMMON or len(form) < 3))
    return variants


def _disambiguate(variants: list[_Variant]) -> list[_Variant]:
    """Resolve short forms shared by several names: the only director among them, else the family as one."""
    owners: dict[str, set[_Entity]] = {}
    for v in variants:
        if v.rank > 0:
            owners.setdefault(v.surface, set()).add(v.entity)
    full = {v.surface for v in variants if v.rank == 0}
    kept = [v for v in variants if v.rank == 0 or (len(owners[v.surface]) == 1 and v.surface not in full)]
    for surface, entities in owners.items():
        if len(entities) < 2 or surface in full or any(e.kind != "person" for e in entities):
            continue
        directors = [e for e in entities if e.role == "director"]
        if len(directors) == 1:
            kept.append(_Variant(surface, directors[0], 1))  # critics mean the director ("Wells's film")
        elif all(e.name.split()[-1] == surface for e in entities):
            kept.append(_Variant(surface, _family(entities), 1))  # "pure Coen", "Russo and Russo"
    return kept


def _family(entities) -> _Entity:
    """One entity standing for credited people who share a surname."""
    members = sorted(entities, key=lambda e: e.name)
    return _Entity(" and ".join(m.name for m in members), "person", members[0].role)


def _variant_regex(surface: str) -> str:
    """Regex for a name as written: flexible spaces and apostrophes, particles in any case."""
    parts = []
    for token in surface.split():
        escaped = re.escape(token).replace("'", "['’]").replace("’", "['’]")
        escaped = re.sub(r"\\\.(?=[A-Z])", r"\\.\\s?", escaped)  # "J.J." also as "J. J."
        if token.lower() in _PARTICLES:
            escaped = f"[{token[0].upper()}{token[0].lower()}]{re.escape(token[1:])}"
        parts.append(escaped)
    body, tail = r"\s+".join(parts), r"(?!\w|['’]\w\w)"  # "Capra-corn", "Gondry-Rogen" count
    if body[0].isalpha():
        # Same test as a leading (?<!\w), made after the literal first letter: the engine then jumps from one
        # such letter to the next instead of trying a match at every position of the text (~10x faster).
        return body[0] + r"(?<!\w.)" + body[1:] + tail
    return r"(?<!\w)" + body + tail


@lru_cache(maxsize=1024)
def _variant_pattern(surface: str) -> re.Pattern:
    """Compiled _variant_regex; the same cast is credited on every review of a film."""
    return re.compile(_variant_regex(surface))


@dataclass(frozen=True)
class _Plan:
    """A credit list's name forms, grouped by surface, and the automaton that finds which occur in a text."""
    by_surface: dict[str, list[_Variant]]
    index: NameIndex
    known: set[str]


@lru_cache(maxsize=256)
def _plan(credits: tuple[tuple[str, str, str | None], ...], titles: tuple[str, ...]) -> _Plan:
    """Built once per credit list: every review of a film is searched with the same pooled credits."""
    variants = _credit_variants([Credit(*c) for c in credits]) + _film_variants(list(titles))
    by_surface: dict[str, list[_Variant]] = {}
    for v in _disambiguate(variants):
        by_surface.setdefault(v.surface, []).append(v)
    return _Plan(by_surface, NameIndex(list(by_surface)), {v.surface for v in variants})


def _match_variants(text: str, sentences, plan: _Plan) -> list[tuple[int, int, _Entity, int]]:
    """Every occurrence of every variant, with film-or-character decided by context."""
    spans = []
    # One automaton pass picks the few forms present; only those run their exact pattern (boundaries, spacing).
    for surface in plan.index.present(text):
        group = plan.by_surface[surface]
        for match in _variant_pattern(surface).finditer(text):
            chosen = _choose(text, match.start(), match.end(), group)
            if chosen and _short_form_fits(text, sentences, match.start(), match.end(), chosen):
                spans.append((match.start(), match.end(), chosen.entity, chosen.rank))
    return spans


def _choose(text: str, start: int, end: int, group: list[_Variant]) -> _Variant | None:
    """Pick the film reading or the person/character reading of one matched surface."""
    quoted = _is_quoted(text, start, end)
    films = [v for v in group if v.entity.kind == "film" and (quoted or not v.needs_quotes)]
    others = sorted((v for v in group if v.entity.kind != "film"), key=lambda v: (v.rank, v.entity.kind))
    if films and (not others or quoted or _FILM_AFTER.match(text[end:end + 20])):
        return films[0]
    return others[0] if others else None


def _is_quoted(text: str, start: int, end: int) -> bool:
    """True when the span is wrapped in quotes or underscores/asterisks (italics markup)."""
    before, after = text[start - 1:start], text[end:end + 1]
    return bool(before and after and before in "\"'‘“*_«" and after in "\"'’”*_»")


def _short_form_fits(text: str, sentences, start: int, end: int, variant: _Variant) -> bool:
    """Reject a surname or first name that is part of someone else's full name ('Luke Evans' for Chris Evans)."""
    if variant.rank == 0:
        return True
    before, after = text[max(0, start - 30):start], text[end:end + 30]
    prev = _PREV_WORD.search(before)
    if variant.rank == 1 and prev and prev.group(1) in _FIRST_NAMES and \
            prev.group(1)[0] not in {w[0] for w in variant.entity.name.split()}:
        return False  # "Luke Evans" is not Chris Evans; "Tom Ropelewski" may be Thomas
    nxt = _NEXT_WORD.match(after)
    if variant.rank == 2 and nxt and nxt.group(1) not in _STOP and nxt.group(1) not in variant.entity.name:
        return False
    span = sentence_at(sentences, start)
    at_sentence_start = span is not None and not text[span[0]:start].strip(" \"'“‘(")
    # a credited surname opening a sentence is the person ("Story can't infuse..."); a character's is riskier
    return not (at_sentence_start and variant.entity.kind == "character" and variant.surface.lower() in _COMMON)


def _pick_non_overlapping(spans: list[tuple[int, int, _Entity, int]]) -> list[tuple[int, int, _Entity]]:
    """Longest spans first (then full names before short forms); drop any that overlap a kept one."""
    kept: list[tuple[int, int, _Entity]] = []
    for start, end, entity, _ in sorted(spans, key=lambda s: (s[0] - s[1], s[3], s[0])):
        if all(end <= a or start >= b for a, b, _ in kept):
            kept.append((start, end, entity))
    return kept


_NAME_TOKEN = (rf"(?:(?:Mc|Mac|O['’]|D['’])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+|-[{_LOW}]{{1,3}}(?![{_LOW}]))*|[{_UP}]\.(?:\s?[{_UP}]\.)*)")
# Context showing a name-shaped phrase is a title: "in John Carter,", "Paul Blart: Mall Cop", "X is a fun movie".
_TITLE_BEFORE = re.compile(rf"(?:\bin\s+|[{_UP}][{_LOW}]+\s+of\s+|[\"“‘'*_])$")
_TITLE_AFTER = re.compile(r"^(?:['’]?\s*:|['\"”’*_]|\s+(?:is|was|isn't|wasn't|is\s+not)\s+(?:a|an|one|the|just|"
                          r"another)\b[^.,;:!?]{0,40}?\b(?:film|movie|picture|comedy|drama|thriller|sequel|"
                          r"documentary|adventure|romp|entertainment|fantasy|musical|cartoon|flick|mess|"
                          r"disaster|western|biopic|remake)s?\b)")
_PREV_WORD = re.compile(rf"([{_UP}][{_LOW}]+)(?:\s+|-)$")
_NEXT_WORD = re.compile(rf"\s+([{_UP}][{_LOW}]+)")
_TOKEN = re.compile(r"\S+")
_POSSESSIVE = re.compile(r"['’]s?\b")
_CAPITALISED_BEFORE = re.compile(rf"[{_UP}][{_LOW}]*\s+$")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:]\s+)\S+\s+$")
_INITIAL = re.compile(rf"[{_UP}]\.")
_COMMON_NOT_NAMES = _COMMON - _WORD_NAMES
_CANDIDATE = re.compile(rf"(?<![\w'’.-]){_NAME_TOKEN}(?:\s+(?:(?:{'|'.join(sorted(p for p in _PARTICLES if len(p) > 1 and p != 'st.'))})\s+)?"
                        rf"{_NAME_TOKEN}){{1,3}}(?![\w-])")


def _uncredited_names(text: str, sentences, taken: list[tuple[int, int, _Entity]],
                      known: set[str]) -> list[tuple[int, int, _Entity]]:
    """Capitalised 2-3 word names not in the credits that start with a known given name."""
    found = []
    for match in _CANDIDATE.finditer(text):
        for start, end in _name_runs(text, match.start(), match.end()):
            if any(not (end <= a or start >= b) for a, b, _ in taken):
                continue
            if _looks_like_person(text, start, end):
                name = " ".join(text[start:end].split())
                found.append((start, end, _Entity(name, "person", None)))
    return found


def _name_runs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a capitalised run at stop words into runs of 2-3 name tokens."""
    runs, current = [], []
    for token in _TOKEN.finditer(text[start:end]):
        word = token.group(0)
        a, b = start + token.start(), start + token.end()
        if word.rstrip(".") in _STOP or word in _STOP:
            runs.append(current)
            current = []
        else:
            current.append((a, b, word))
    runs.append(current)
    spans = []
    for run in runs:
        while run and run[-1][2].lower() in _PARTICLES:
            run = run[:-1]
        if 2 <= len(run) <= 4:
            spans.append((run[0][0], run[-1][1]))
    return spans


def _looks_like_person(text: str, start: int, end: int) -> bool:
    """A name-shaped run whose first word is a given name, or that follows a role noun ('director X Y')."""
    words = text[start:end].split()
    before, after = text[max(0, start - 40):start], text[end:end + 80]
    if _TITLE_BEFORE.search(before) and not _POSSESSIVE.match(after) or _TITLE_AFTER.match(after) \
            or _FILM_AFTER.match(after):
        return False
    if words[0].lower() in _WORD_NAMES and _CAPITALISED_BEFORE.search(before) and \
            not _SENTENCE_START_BEFORE.search(before):
        return False  # "You Will Meet a Tall Dark Stranger": a word-name inside a capitalised title
    first = words[0].split("-")[0] if words[0] not in _FIRST_NAMES else words[0]
    if sum(1 for w in words if w.lower() not in _PARTICLES) > 3:
        return False
    if any(w.lower() in _COMMON_NOT_NAMES and w not in _FIRST_NAMES for w in words[1:]):
        return False
    if first in _FIRST_NAMES:
        return True
    return bool(_ROLE_BEFORE.search(text[max(0, start - 30):start])) and not _INITIAL.match(words[0])
