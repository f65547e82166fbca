"""Publish compares texts again only for films whose syndication candidates changed; the result equals a fresh build."""
from datetime import date, datetime, timezone

from critics.schemas.config import config_from_dict
from critics.tasks.warehouse import load, publish

CONFIG = config_from_dict({"sources": [{"name": "S", "start_urls": ["http://127.0.0.1/"]}]})
TEXT = ("Ember is a neon-soaked chase through a city that never sleeps. The driving is thrilling, the plot less so. "
        "Lena de Marco holds it together with a fierce, wary performance. The last act runs out of road.")
OTHER = ("Harvest is a quiet farm drama about three sisters and a failing orchard, patient and warm, "
         "with a final scene that lands softly and stays with you long after the credits.")


def row(review_id, film, critic, outlet, day, text=TEXT):
    return {"review_id": review_id, "url": f"http://127.0.0.1/{review_id}", "fetched_url": f"http://127.0.0.1/{review_id}",
            "source": "S", "sha256": review_id, "film_title": film, "film_year": 2024, "critic": critic,
            "outlet": outlet, "published_date": date(2025, 3, day), "verdict": "fresh", "verdict_source": "rating",
            "text": text, "word_count": len(text.split()), "run_id": "r",
            "extracted_at": datetime(2025, 3, 1, tzinfo=timezone.utc)}


NIGHT_ONE = [row("a", "Ember", "Jane Doe", "Wire", 2), row("b", "Ember", "Jane Doe", "Paper", 3),
             row("c", "Ember", None, "Gazette", 4), row("h1", "Harvest", "Jane Doe", "Wire", 2, OTHER),
             row("h2", "Harvest", "Jane Doe", "Paper", 3, OTHER), row("x", "Ember", "John Roe", "Post", 1, OTHER)]
NIGHT_TWO = [row("d", "Ember", "JANE DOE", "Courier", 1), row("h3", "Harvest", "Jane Doe", "Globe", 1, TEXT)]


def insert(con, rows):
    for values in rows:
        names = ", ".join(values)
        con.execute(f"INSERT INTO staging.reviews ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values()))


def syndication(con):
    return con.execute("SELECT review_id, syndicated_of FROM intermediate.syndication ORDER BY review_id").fetchall()


def test_second_publish_equals_a_fresh_build_and_keeps_unchanged_films(tmp_path):
    with load.open_work(tmp_path / "kept.duckdb") as con:
        insert(con, NIGHT_ONE)
        publish.build_marts(con, CONFIG)
        first = syndication(con)
        assert first == [("b", "a"), ("c", "a"), ("h2", "h1")]
        insert(con, NIGHT_TWO)
        con.execute("UPDATE staging.reviews SET text = ? WHERE review_id = 'h2'", [TEXT])
        publish.build_marts(con, CONFIG)
        kept = syndication(con)
    with load.open_work(tmp_path / "fresh.duckdb") as con:
        insert(con, NIGHT_ONE + NIGHT_TWO)
        con.execute("UPDATE staging.reviews SET text = ? WHERE review_id = 'h2'", [TEXT])
        publish.build_marts(con, CONFIG)
        assert kept == syndication(con)
    # d and h3 (day 1) are the earliest prints now; h2 carries h3's text, no longer h1's
    assert kept == [("a", "d"), ("b", "d"), ("c", "d"), ("h2", "h3")]


def test_a_publish_with_nothing_new_compares_no_texts(tmp_path, monkeypatch):
    from critics.tasks.warehouse import review_identity

    seen = []
    real = review_identity.find_copies
    monkeypatch.setattr(review_identity, "find_copies", lambda reviews: real(seen.extend(reviews) or seen))
    with load.open_work(tmp_path / "w.duckdb") as con:
        insert(con, NIGHT_ONE)
        publish.build_marts(con, CONFIG)
        assert {r.review_id for r in seen} == {"a", "b", "c", "x", "h1", "h2"}  # x: Ember has an unsigned review
        seen.clear()
        publish.build_marts(con, CONFIG)
        assert seen == [] and syndication(con) == [("b", "a"), ("c", "a"), ("h2", "h1")]
        insert(con, NIGHT_TWO[1:])
        publish.build_marts(con, CONFIG)
        assert {r.review_id for r in seen} == {"h1", "h2", "h3"}  # Harvest's candidates only
