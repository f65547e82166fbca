"""Publish SQL over hand-built review sets with known answers: Tomatometer, interval, status, labels, critics."""
from __future__ import annotations

import gzip
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from critics.schemas.config import config_from_dict
from critics.tasks.extract.aspects import find_aspects
from critics.tasks.text.chunk import split_sentences
from critics.tasks.warehouse.load import _REVIEW_SCHEMA, create_layers, query_frame
from critics.tasks.warehouse.publish import PUBLIC_TABLES, build_marts, publish_night, snapshot

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
NIGHT_1 = datetime(2026, 11, 1, 3, 0)
NIGHT_2 = datetime(2026, 11, 2, 3, 0)
NIGHT_3 = datetime(2026, 11, 3, 3, 0)
INTERFACE_COLUMNS = ["film_id", "title", "year", "imdb_id", "review_count", "fresh_count", "tomatometer", "tomatometer_low",
                     "tomatometer_high", "status", "scored_count", "avg_score", "top_critic_count",
                     "top_critic_tomatometer", "consensus", "published_at"]


def make_config(top=(), **consensus):
    return config_from_dict({"sources": [{"name": "Test", "start_urls": ["http://127.0.0.1/"]}],
                             "critics": {"top": list(top)}, "consensus": consensus, "timezone": "Europe/London"})


def review_row(n: int, film: str = "Film", verdict: str = "fresh", score: float | None = None, critic: str | None = None,
               outlet: str = "Outlet", source: str = "rating", text: str | None = None, year: int | None = 2020) -> dict:
    text = text or f"Review number {n} of {film}."
    return {"review_id": f"{film}-{n:04d}", "url": f"http://127.0.0.1/{film}/{n}", "fetched_url": f"http://127.0.0.1/{film}/{n}",
            "source": "Test", "sha256": str(n), "film_title": film, "film_year": year, "headline": None,
            "critic": critic or f"Critic {n}", "outlet": outlet, "published_at": None, "rating_raw": None,
            "rating_rule": None, "rating_scale": None, "rating_reason": None, "score": score, "verdict": verdict,
            "verdict_source": source, "verdict_confidence": None, "text": text, "word_count": len(text.split()),
            "run_id": "r1", "extracted_at": datetime(2026, 11, 1, tzinfo=timezone.utc)}


def verdicts(film: str, fresh: int, total: int, start: int = 0, **kw) -> list[dict]:
    return [review_row(start + i, film, "fresh" if i < fresh else "rotten", **kw) for i in range(total)]


@pytest.fixture
def work(tmp_path):
    con = duckdb.connect(str(tmp_path / "critics.work.duckdb"))
    create_layers(con)
    yield con
    con.close()


def load(con, rows: list[dict], mentions: list[dict] = ()) -> None:
    con.register("rows_frame", pl.DataFrame(rows, schema=_REVIEW_SCHEMA).to_arrow())
    con.execute("DELETE FROM staging.reviews; INSERT INTO staging.reviews BY NAME SELECT * FROM rows_frame")
    if mentions:
        con.register("mention_frame", pl.DataFrame(list(mentions)).to_arrow())
        con.execute("DELETE FROM staging.mentions; INSERT INTO staging.mentions BY NAME SELECT * FROM mention_frame")


def publish(con, rows, config=None, at=NIGHT_1, mentions=()) -> dict[str, dict]:
    load(con, rows, mentions)
    build_marts(con, config or make_config(), at)
    return {r["title"]: r for r in query_frame(con, "SELECT * FROM film_consensus").to_dicts()}


@pytest.mark.parametrize("fresh, total, expected", [
    (119, 200, 60), (118, 200, 59), (117, 200, 59), (5, 8, 63), (3, 8, 38), (1, 8, 13), (2, 3, 67),
    (1, 3, 33), (0, 5, 0), (5, 5, 100), (3, 5, 60), (1, 2, 50),
])
def test_tomatometer_is_percent_fresh_rounded_half_up(work, fresh, total, expected):
    film = publish(work, verdicts("F", fresh, total))["F"]
    assert film["tomatometer"] == expected
    assert film["tomatometer"] == int((Decimal(100 * fresh) / Decimal(total)).quantize(Decimal("1"), ROUND_HALF_UP))


@pytest.mark.parametrize("fresh, total, status", [(119, 200, "fresh"), (118, 200, "rotten"), (3, 5, "fresh"),
                                                  (2, 5, "rotten"), (4, 4, None), (0, 4, None)])
def test_status_at_the_sixty_boundary_and_under_five_reviews(work, fresh, total, status):
    assert publish(work, verdicts("F", fresh, total))["F"]["status"] == status


@pytest.mark.parametrize("fresh, total, low, high", [(8, 10, 49.0, 94.3), (0, 5, 0.0, 43.4), (5, 5, 56.6, 100.0),
                                                     (50, 100, 40.4, 59.6)])
def test_wilson_interval_matches_published_values(work, fresh, total, low, high):
    film = publish(work, verdicts("F", fresh, total))["F"]
    assert (film["tomatometer_low"], film["tomatometer_high"]) == (low, high)


@pytest.mark.parametrize("total, top, status", [(40, 5, "certified_fresh"), (39, 5, "fresh"), (40, 4, "fresh")])
def test_certified_fresh_needs_the_minimum_reviews_and_top_critics(work, total, top, status):
    tops = [f"Top {i}" for i in range(top)]
    rows = [review_row(i, "F", critic=tops[i] if i < top else None) for i in range(total)]
    assert publish(work, rows, make_config(top=tops))["F"]["status"] == status


def _certifiable(fresh: int) -> list[dict]:
    return [review_row(i, "F", "fresh" if i < fresh else "rotten", critic=f"Top {i}" if i < 5 else None)
            for i in range(40)]


def test_certified_fresh_is_kept_until_below_seventy_across_publishes(work):
    config = make_config(top=[f"Top {i}" for i in range(5)])
    first = publish(work, _certifiable(30), config, NIGHT_1)["F"]  # 75
    second = publish(work, _certifiable(28), config, NIGHT_2)["F"]  # 70: kept
    third = publish(work, _certifiable(27), config, NIGHT_3)["F"]  # 67.5 -> 68: lost
    assert [(f["tomatometer"], f["status"]) for f in (first, second, third)] == [
        (75, "certified_fresh"), (70, "certified_fresh"), (68, "fresh")]


def test_a_film_never_certified_at_seventy_two_is_only_fresh(work):
    config = make_config(top=[f"Top {i}" for i in range(5)])
    publish(work, _certifiable(27), config, NIGHT_1)
    assert publish(work, _certifiable(29), config, NIGHT_2)["F"]["status"] == "fresh"  # 72.5 -> 73


def test_republishing_in_one_night_replaces_its_history_row(work):
    config = make_config(top=[f"Top {i}" for i in range(5)])
    publish(work, _certifiable(30), config, datetime(2026, 11, 1, 22, 0))  # 22:00 London, night of Nov 1
    again = publish(work, _certifiable(29), config, datetime(2026, 11, 2, 4, 0))["F"]  # 04:00 next day, same night
    history = work.execute("SELECT publish_night, tomatometer, status FROM consensus_history").fetchall()
    assert len(history) == 1 and history[0][1] == 73
    assert again["status"] == "fresh"  # a same-night republish does not inherit the badge from itself


@pytest.mark.parametrize("utc, tz, night", [
    (datetime(2026, 11, 2, 3, 0), "Europe/London", "2026-11-01"),
    (datetime(2026, 11, 1, 22, 0), "Europe/London", "2026-11-01"),
    (datetime(2026, 11, 2, 12, 30), "Europe/London", "2026-11-02"),
    (datetime(2026, 11, 2, 5, 0), "America/New_York", "2026-11-01"),  # 00:00 in New York
])
def test_publish_night_runs_noon_to_noon_local(utc, tz, night):
    assert publish_night(utc, tz).isoformat() == night


@pytest.mark.parametrize("scores, label", [
    ([81, 81, 81, 81], "universal acclaim"), ([80.5, 80.5, 80.5, 80.5], "universal acclaim"),
    ([80.4, 80.4, 80.4, 80.4], "generally favorable"), ([61, 61, 61, 61], "generally favorable"),
    ([60, 60, 60, 60], "mixed or average"), ([40, 40, 40, 40], "mixed or average"),
    ([39, 39, 39, 39], "generally unfavorable"), ([19.5, 19.5, 19.5, 19.5], "generally unfavorable"),
    ([19, 19, 19, 19], "overwhelming dislike"), ([0, 100, 0, 100], "mixed or average"), ([90, 90, 90], None),
])
def test_average_score_label_uses_metacritic_bands(work, scores, label):
    rows = [review_row(i, "F", score=s) for i, s in enumerate(scores)] + [review_row(9, "F")]
    film = publish(work, rows)["F"]
    assert film["avg_score_label"] == label
    assert film["scored_count"] == len(scores)


def test_spread_controversy_top_critic_split_and_model_share(work):
    rows = ([review_row(i, "Split", "fresh" if i % 2 else "rotten", score=100.0 if i % 2 else 0.0,
                        source="model" if i < 2 else "rating", critic="Top" if i < 2 else None) for i in range(6)]
            + [review_row(i, "Agreed", score=80.0) for i in range(6)])
    films = publish(work, rows, make_config(top=["Top"]))
    assert (films["Split"]["score_stddev"], films["Split"]["is_controversial"]) == (50.0, True)
    assert (films["Agreed"]["score_stddev"], films["Agreed"]["is_controversial"]) == (0.0, False)
    assert films["Split"]["model_verdict_share"] == pytest.approx(2 / 6, abs=0.001)
    assert (films["Split"]["top_critic_count"], films["Split"]["top_critic_tomatometer"],
            films["Split"]["top_critic_avg_score"]) == (2, 50, 50.0)


def test_film_consensus_keeps_the_interface_columns_first(work):
    publish(work, verdicts("F", 3, 5))
    columns = [r[0] for r in work.execute("DESCRIBE film_consensus").fetchall()]
    assert columns[:len(INTERFACE_COLUMNS)] == INTERFACE_COLUMNS


def test_critic_leniency_is_score_minus_the_other_critics_average(work):
    scores = {("A", "X"): 80, ("A", "Y"): 60, ("A", "Z"): 40, ("B", "X"): 90, ("B", "Y"): 70}
    rows = [review_row(i, film, score=float(s), critic=critic) for i, ((film, critic), s) in enumerate(scores.items())]
    publish(work, rows)
    stats = {r[0]: r[1:] for r in work.execute("SELECT critic, leniency, review_count, avg_score FROM critic_stats").fetchall()}
    assert stats == {"X": (25.0, 2, 85.0), "Y": (-10.0, 2, 65.0), "Z": (-30.0, 1, 40.0)}


def test_critic_agreement_counts_verdicts_on_the_side_of_the_film_status(work):
    rows = verdicts("F", 4, 5) + [review_row(9, "G")]  # F fresh (80); G has no status (1 review)
    rows[4]["critic"] = rows[3]["critic"] = "Contrarian"  # one fresh, one rotten review of a fresh film
    rows[4]["review_id"] = "F-x"
    rows[-1]["critic"] = "Contrarian"
    publish(work, rows)
    agreement = work.execute("SELECT consensus_agreement, agreement_review_count, fresh_share FROM critic_stats "
                             "WHERE critic = 'Contrarian'").fetchone()
    assert agreement == (0.5, 2, pytest.approx(0.667, abs=0.001))


def test_critic_stats_group_trimmed_names_per_outlet_and_unsigned_reviews_together(work):
    spec = [(" Ann ", "O1", "fresh", "F"), ("Ann", "O1", "rotten", "F"), ("Ann", "O2", "fresh", "F"),
            (None, "O1", "fresh", "F"), ("", "O1", "rotten", "F"), ("  ", "O1", "fresh", "F"), ("Ann ", "O1", "fresh", "G")]
    rows = []
    for i, (critic, outlet, verdict, film) in enumerate(spec):
        rows.append(review_row(i, film, verdict, score=50.0 + i, outlet=outlet))
        rows[-1]["critic"] = critic  # review_row fills in a name for None and ""
    publish(work, rows, make_config(top=["ANN"]))
    stats = {(r[0], r[1]): r[2:] for r in work.execute(
        "SELECT critic, outlet, review_count, fresh_share, avg_score, is_top_critic FROM critic_stats").fetchall()}
    assert stats == {("Ann", "O1"): (3, 0.667, 52.3, True), ("Ann", "O2"): (1, 1.0, 52.0, True),
                     ("(unsigned)", "O1"): (3, 0.667, 54.0, False)}
    reviews = work.execute("SELECT count(*), count(*) FILTER (WHERE is_top_critic) FROM reviews").fetchone()
    assert reviews == (7, 4)


def _aspect(review: dict, word: str, aspect: str, sentiment: float) -> dict:
    from critics.tasks.extract.aspects import sentence_at

    start = review["text"].index(word)
    sentence_start, sentence_end = sentence_at(split_sentences(review["text"]), start)  # as extraction stores it
    return {"review_id": review["review_id"], "chunk_index": 0, "name": aspect, "kind": "aspect", "role": None,
            "surface": word, "char_start": start, "char_end": start + len(word), "sentiment": sentiment,
            "sentence_start": sentence_start, "sentence_end": sentence_end}


def _aspect_film():
    texts = ["A fine thriller. The performances are superb. The plot sags.",
             "The performances sparkle throughout. The score is lovely.",
             "Dull film. The performances are wooden. The score grates."]
    rows = [review_row(i, "F", text=t) for i, t in enumerate(texts)]
    mentions = [_aspect(rows[0], "performances", "acting", 0.8), _aspect(rows[0], "plot", "story", -0.6),
                _aspect(rows[1], "performances", "acting", 0.9), _aspect(rows[1], "score", "music", 0.7),
                _aspect(rows[2], "performances", "acting", -0.7), _aspect(rows[2], "score", "music", -0.5)]
    return rows, mentions


def test_consensus_claims_only_majority_aspects_discussed_by_two_reviews(work):
    rows, mentions = _aspect_film()
    film = publish(work, rows, mentions=mentions)["F"]
    assert "They praise the performances." in film["consensus"]
    assert "story" not in film["consensus"] and "music" not in film["consensus"] and "fault" not in film["consensus"]


def test_every_claim_cites_review_sentences_that_slice_the_text(work):
    rows, mentions = _aspect_film()
    publish(work, rows, mentions=mentions)
    cited = work.execute("""SELECT claim, review_id, sentence, substr(reviews.text, char_start + 1, char_end - char_start)
                            FROM consensus_citations JOIN reviews USING (review_id, film_id)""").fetchall()
    assert {(c, r) for c, r, _, _ in cited} == {("praise: the performances", "F-0001"), ("praise: the performances", "F-0000")}
    assert all(sentence == sliced and "performances" in sentence for _, _, sentence, sliced in cited)


def test_film_aspects_count_mentions_share_positive_and_quote_the_majority(work):
    rows, mentions = _aspect_film()
    publish(work, rows, mentions=mentions)
    acting = query_frame(work, "SELECT * FROM film_aspects WHERE aspect = 'acting'").to_dicts()[0]
    assert (acting["mention_count"], acting["review_count"], acting["share_positive"]) == (3, 3, 0.667)
    assert (acting["quote_1_review_id"], acting["quote_2_review_id"]) == ("F-0001", "F-0000")
    assert acting["quote_1"] == "The performances sparkle throughout."


def _extracted_aspects(rows: list[dict]) -> list[dict]:
    return [{"review_id": row["review_id"], "chunk_index": 0, "name": m.name, "kind": "aspect", "role": None,
             "surface": m.surface, "char_start": m.char_start, "char_end": m.char_end, "sentiment": m.sentiment,
             "sentence_start": m.sentence_start, "sentence_end": m.sentence_end}
            for row in rows for m in find_aspects(row["text"], split_sentences(row["text"]))]


def test_stored_sentence_spans_quote_what_splitting_the_text_quotes(work):
    from critics.tasks.extract.aspects import sentence_at

    texts = ["Mr. Okafor’s direction is précis — naïve? Never. The cinematography glows 🌙 in every frame.",
             "The score (by Ms. Lind) swells; the pacing drags. Dir. Ruiz keeps the plot taut until the end",
             "Wonderful acting.  The screenplay, alas, is thin… The editing? Sharp as a tack."]
    rows = [review_row(i, "F", text=t) for i, t in enumerate(texts)]
    mentions = _extracted_aspects(rows)
    publish(work, rows, mentions=mentions)
    quoted = work.execute("""SELECT review_id, char_start, sentence_start, sentence_end, sentence
                             FROM intermediate.mention_sentences ORDER BY ALL""").fetchall()
    # what publish quoted when it split each text itself (the path for files without stored spans, now gone)
    text_of = {row["review_id"]: row["text"] for row in rows}
    split = []
    for m in mentions:
        text = text_of[m["review_id"]]
        a, b = sentence_at(split_sentences(text), m["char_start"]) or (m["char_start"], m["char_start"])
        split.append((m["review_id"], m["char_start"], a, b, text[a:b]))
    assert len(quoted) >= 6
    assert quoted == sorted(split)
    assert all(texts[int(rid[-1])][a:b] == sentence for rid, _, a, b, sentence in quoted)


def test_film_people_count_mentions_reviews_and_mean_sentiment(work):
    rows = [review_row(i, "F", text="Jane Doe directs. Doe again.") for i in range(2)]
    mentions = [{"review_id": r["review_id"], "chunk_index": 0, "name": "Jane Doe", "kind": "person", "role": "director",
                 "surface": s, "char_start": a, "char_end": a + len(s), "sentiment": v}
                for r, (s, a, v) in [(rows[0], ("Jane Doe", 0, 0.5)), (rows[0], ("Doe", 18, 0.1)), (rows[1], ("Doe", 18, -0.3))]]
    publish(work, rows, mentions=mentions)
    assert work.execute("SELECT person, role, mention_count, review_count, mean_sentiment FROM film_people").fetchall() == [
        ("Jane Doe", "director", 3, 2, 0.1)]


def test_snapshot_holds_every_public_table_with_its_grain(work, tmp_path):
    rows, mentions = _aspect_film()
    publish(work, rows, mentions=mentions)
    work.execute("INSERT INTO raw.runs (run_id, kind, started_at) VALUES ('r1', 'nightly', now())")
    snapshot(work, tmp_path / "critics.duckdb", "r1")
    with duckdb.connect(str(tmp_path / "critics.duckdb"), read_only=True) as snap:
        comments = dict(snap.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert all(comments[t].startswith("Grain:") for t in PUBLIC_TABLES)


def test_a_failing_publish_leaves_the_previous_marts(work, monkeypatch):
    publish(work, verdicts("F", 3, 5))
    import critics.tasks.warehouse.publish as publishing

    monkeypatch.setattr(publishing, "_write_consensus", lambda con: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        publish(work, verdicts("F", 5, 5), at=NIGHT_2)
    assert work.execute("SELECT tomatometer FROM film_consensus").fetchone()[0] == 60
    assert work.execute("SELECT count(*) FROM consensus_history").fetchone()[0] == 1


@pytest.mark.skipif(not (REALDATA / "rt_flatiron").is_dir(), reason="needs ../shared/realdata")
def test_rt_flatiron_tomatometer_from_rt_labels_matches_an_independent_count(work):
    with gzip.open(REALDATA / "rt_flatiron" / "rt.reviews.tsv.gz", "rb") as handle:
        data = pl.read_csv(handle.read(), separator="\t", encoding="latin1", quote_char=None,
                           infer_schema=False, truncate_ragged_lines=True)
    data = data.filter(pl.col("fresh").is_in(["fresh", "rotten"]))
    rows = [review_row(i, f"rt-{film}", verdict, year=None, critic=critic, text=".")
            for i, (film, verdict, critic) in enumerate(data.select("id", "fresh", "critic").iter_rows())]
    meters = publish(work, rows)
    expected: dict[str, list[int]] = {}
    for film, verdict in data.select("id", "fresh").iter_rows():
        counts = expected.setdefault(f"rt-{film}", [0, 0])
        counts[0] += verdict == "fresh"
        counts[1] += 1
    assert len(meters) == len(expected) > 1000
    for film, (fresh, total) in expected.items():
        percent = (Decimal(fresh) * 100 / Decimal(total)).quantize(Decimal("1"), ROUND_HALF_UP)
        assert (meters[film]["review_count"], meters[film]["tomatometer"]) == (total, int(percent)), film
