"""Person, character and film mentions the way critics write them."""
import pytest

from critics.schemas.records import Credit
from critics.tasks.text.chunk import split_sentences
from critics.tasks.extract.mentions import find_mentions

CREDITS = [
    Credit("Keanu Reeves", "actor", "John Wick"),
    Credit("Ana de Armas", "actor", "Eve Macarro"),
    Credit("Len Wiseman", "director"),
    Credit("Will Arnett", "actor", "Hope"),
    Credit("Shay Hatten", "writer"),
]
FILM = "From the World of John Wick: Ballerina"


def found(text, credits=CREDITS, film=FILM, known=("John Wick",)):
    mentions = find_mentions(text, split_sentences(text), credits, film, list(known))
    for m in mentions:
        assert text[m.char_start:m.char_end] == m.surface
    return [(m.kind, m.name, m.surface, m.char_start) for m in mentions]


@pytest.mark.parametrize("text, expected", [
    ("Wiseman keeps it moving.", [("person", "Len Wiseman", "Wiseman", 0)]),
    ("Even so, Keanu Reeves shows up.", [("person", "Keanu Reeves", "Keanu Reeves", 9)]),
    ("Keanu is back.", [("person", "Keanu Reeves", "Keanu", 0)]),
    ("The film is De Armas's show.", [("person", "Ana de Armas", "De Armas", 12)]),
    ("It is de Armas’s show.", [("person", "Ana de Armas", "de Armas", 6)]),
    ("Armas' timing is sharp.", [("person", "Ana de Armas", "Armas", 0)]),
    ("Hatten's script is lean.", [("person", "Shay Hatten", "Hatten", 0)]),
])
def test_credited_people_by_full_name_surname_first_name_and_possessive(text, expected):
    assert found(text) == expected


def test_person_mentions_carry_the_credit_role():
    text = "Wiseman directs and Hatten writes."
    assert [m.role for m in find_mentions(text, split_sentences(text), CREDITS)] == ["director", "writer"]


@pytest.mark.parametrize("text", ["Will you enjoy it?", "Eve fights well.", "I will say this."])
def test_common_word_first_names_are_not_matched(text):
    assert [k for k, *_ in found(text) if k != "character"] == [] and all(s != "Will" for *_, s, _ in found(text))


def test_common_word_name_of_a_credited_character_is_matched():
    assert found("Hope survives the night.") == [("character", "Hope", "Hope", 0)]


def test_character_surname_alone():
    assert found("Macarro trains hard.") == [("character", "Eve Macarro", "Macarro", 0)]


@pytest.mark.parametrize("text, kind", [
    ("John Wick walks into a bar.", "character"),
    ("It outdoes the John Wick films.", "film"),
    ("Fans of John Wick movies will cheer.", "film"),
    ("Things were simpler in John Wick (2014) than now.", "film"),
    ("It echoes 'John Wick' at every turn.", "film"),
])
def test_name_that_is_character_and_film_decided_by_context(text, kind):
    assert [k for k, name, *_ in found(text) if name == "John Wick"] == [kind]


def test_franchise_title_and_its_short_form_are_the_film():
    text = "From the World of John Wick: Ballerina is fun; Ballerina is loud."
    assert found(text) == [("film", FILM, FILM, 0), ("film", FILM, "Ballerina", 47)]


def test_uncredited_names_are_found_and_sentence_starts_are_not():
    text = "Meanwhile Tom Hanks and Meryl Streep appear. Yesterday Paris was grey."
    assert found(text) == [("person", "Tom Hanks", "Tom Hanks", 10), ("person", "Meryl Streep", "Meryl Streep", 24)]


def test_uncredited_full_name_sharing_a_credited_surname_is_someone_else():
    credits = [Credit("Chris Evans", "actor")]
    text = "Luke Evans is also here, but Evans steals it."
    assert found(text, credits, None, ()) == [("person", "Luke Evans", "Luke Evans", 0),
                                              ("person", "Chris Evans", "Evans", 29)]


def test_uncredited_name_inside_a_title_is_not_a_person():
    assert found("It recalls The Assassination of Jesse James a little.", [], None, ()) == []


def test_shared_surname_goes_to_the_only_director():
    credits = [Credit("Simon Wells", "director"), Credit("Wendy Wells", "writer")]
    assert found("Wells's film is brisk.", credits, None, ()) == [("person", "Simon Wells", "Wells", 0)]


def test_siblings_sharing_a_surname_are_one_mention():
    credits = [Credit("Joel Coen", "director"), Credit("Ethan Coen", "director")]
    assert found("The Coen brothers return.", credits, None, ()) == [
        ("person", "Ethan Coen and Joel Coen", "Coen brothers", 4)]


def test_mentions_never_overlap_and_are_sorted():
    text = "Keanu Reeves and Ana de Armas star in John Wick movies; Reeves, de Armas and Tom Hanks too."
    spans = [(m.char_start, m.char_end) for m in find_mentions(text, split_sentences(text), CREDITS, FILM,
                                                                ["John Wick"])]
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_mention_sentiment_is_of_its_clause():
    text = "Reeves is great, but Wiseman is dull."
    score = {"great": 1.0, "dull": -1.0}
    sentiment = lambda s: sum(v for w, v in score.items() if w in s)  # noqa: E731
    got = {m.surface: m.sentiment for m in find_mentions(text, split_sentences(text), CREDITS, sentiment=sentiment)}
    assert got == {"Reeves": 1.0, "Wiseman": -1.0}
