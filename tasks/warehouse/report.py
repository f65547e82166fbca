"""The static HTML consensus report: an index ranking the films and one page per film, charts as inline SVG."""
from __future__ import annotations

import io
import re
from pathlib import Path

import duckdb
import jinja2
from matplotlib.figure import Figure

from critics.tasks.warehouse.load import query_frame

FRESH, ROTTEN, INK = "#2e7d32", "#c62828", "#333333"
_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def write_report(db_path: str | Path, out_dir: str | Path) -> Path:
    """Read the published snapshot and write index.html plus films/<film>.html; returns the index path."""
    out = Path(out_dir)
    (out / "films").mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path), read_only=True) as con:
        films = query_frame(con, _FILMS_SQL).to_dicts()
        for film in films:
            film["page"] = f"films/{page_name(film['film_id'])}"
            (out / film["page"]).write_text(film_page(con, film), encoding="utf-8")
    index = out / "index.html"
    index.write_text(_ENV.from_string(INDEX_TEMPLATE).render(films=films, css=CSS), encoding="utf-8")
    return index


def film_page(con, film: dict) -> str:
    """One film's page: meter with interval, score distribution, aspects with quotes, cited consensus."""
    fid = [film["film_id"]]
    scores = query_frame(con, "SELECT score, verdict FROM reviews WHERE film_id = ? AND score IS NOT NULL", fid).to_dicts()
    aspects = query_frame(con, "SELECT * FROM film_aspects WHERE film_id = ? ORDER BY review_count DESC, aspect", fid).to_dicts()
    citations = query_frame(con, _CITATIONS_SQL, fid).to_dicts()
    people = query_frame(con, "SELECT * FROM film_people WHERE film_id = ? ORDER BY mention_count DESC, person LIMIT 8", fid).to_dicts()
    reviews = query_frame(con, _REVIEWS_SQL, fid).to_dicts()
    return _ENV.from_string(FILM_TEMPLATE).render(
        film=film, css=CSS, meter_svg=jinja2.utils.markupsafe.Markup(meter_svg(film)),
        score_svg=jinja2.utils.markupsafe.Markup(score_svg(scores)) if scores else None,
        praised=[a for a in aspects if a["positive_count"] * 2 > a["review_count"]],
        faulted=[a for a in aspects if a["negative_count"] * 2 > a["review_count"]],
        claims=_group_citations(citations), people=people, reviews=reviews)


def page_name(film_id: str) -> str:
    """A safe file name for a film page."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(film_id)).strip("-")[:80] + ".html"


def meter_svg(film: dict) -> str:
    """A horizontal bar of the Tomatometer with its 95% interval as a whisker."""
    fig = Figure(figsize=(5, 0.9))
    ax = fig.add_axes((0.03, 0.45, 0.94, 0.4))
    meter = film["tomatometer"]
    ax.barh([0], [meter], color=FRESH if meter >= 60 else ROTTEN, height=0.6)
    ax.barh([0], [100 - meter], left=[meter], color="#e0e0e0", height=0.6)
    low, high = film["tomatometer_low"], film["tomatometer_high"]
    ax.errorbar([meter], [0], xerr=[[meter - low], [high - meter]], color=INK, capsize=4, linewidth=1.5)
    ax.axvline(60, color=INK, linestyle=":", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.tick_params(labelsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    return _svg(fig)


def score_svg(scores: list[dict]) -> str:
    """Histogram of review scores in bands of ten, stacked by verdict."""
    fig = Figure(figsize=(5, 2.4))
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    bins = list(range(0, 101, 10))
    fresh = [s["score"] for s in scores if s["verdict"] == "fresh"]
    rotten = [s["score"] for s in scores if s["verdict"] != "fresh"]
    ax.hist([rotten, fresh], bins=bins, stacked=True, color=[ROTTEN, FRESH], label=["rotten", "fresh"])
    ax.set_xlabel("score (0-100)", fontsize=8)
    ax.set_ylabel("reviews", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, frameon=False)
    return _svg(fig)


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    # Text stays text (small, selectable); no timestamp so reports of the same data are identical.
    with _rc_fonttype_none():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _rc_fonttype_none():
    import matplotlib

    return matplotlib.rc_context({"svg.fonttype": "none"})


def _group_citations(rows: list[dict]) -> list[dict]:
    claims: dict[str, list[dict]] = {}
    for row in rows:
        claims.setdefault(row["claim"], []).append(row)
    return [{"claim": claim, "citations": cited} for claim, cited in claims.items()]


_FILMS_SQL = """SELECT *, row_number() OVER (ORDER BY tomatometer DESC, review_count DESC, title) AS rank
                FROM film_consensus ORDER BY rank"""
_CITATIONS_SQL = """SELECT c.claim, c.review_id, c.char_start, c.char_end, c.sentence, r.critic, r.outlet, r.url
                    FROM consensus_citations AS c JOIN reviews AS r USING (review_id)
                    WHERE c.film_id = ? ORDER BY c.claim, c.review_id"""

_REVIEWS_SQL = """SELECT critic, outlet, url, verdict, score, rating_raw, is_top_critic,
                         CASE WHEN length(text) > 240 THEN left(text, 240) || '…' ELSE text END AS excerpt
                  FROM reviews WHERE film_id = ? ORDER BY is_top_critic DESC, score DESC NULLS LAST, critic"""

CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd}
.fresh,.certified_fresh{color:#2e7d32}.rotten{color:#c62828}blockquote{margin:.3rem 0 .6rem 1rem;color:#444}
.meter{font-size:2rem;font-weight:bold}small{color:#666}"""

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Critics consensus</title>
<style>{{ css }}</style></head><body>
<h1>Critics consensus</h1>
<p>{{ films|length }} films, ranked by Tomatometer.</p>
<table><thead><tr><th>#</th><th>Film</th><th>Tomatometer</th><th>95% interval</th><th>Status</th>
<th>Reviews</th><th>Average score</th></tr></thead><tbody>
{% for f in films %}
<tr><td>{{ f.rank }}</td><td><a href="{{ f.page }}">{{ f.title }}</a>{% if f.year %} ({{ f.year }}){% endif %}</td>
<td>{{ f.tomatometer }}%</td><td>{{ f.tomatometer_low }}&ndash;{{ f.tomatometer_high }}%</td>
<td class="{{ f.status or '' }}">{{ (f.status or 'no status').replace('_', ' ') }}</td>
<td>{{ f.review_count }}</td><td>{{ f.avg_score if f.avg_score is not none else '' }}
{% if f.avg_score_label %}<small>{{ f.avg_score_label }}</small>{% endif %}</td></tr>
{% endfor %}
</tbody></table></body></html>
"""

FILM_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ film.title }} &ndash; critics consensus</title>
<style>{{ css }}</style></head><body>
<p><a href="../index.html">&larr; all films</a></p>
<h1>{{ film.title }}{% if film.year %} ({{ film.year }}){% endif %}</h1>
<p><span class="meter {{ film.status or '' }}">{{ film.tomatometer }}%</span>
 <small>95% interval {{ film.tomatometer_low }}&ndash;{{ film.tomatometer_high }}% &middot;
 {{ film.fresh_count }} fresh of {{ film.review_count }} reviews &middot;
 {{ (film.status or 'no status yet').replace('_', ' ') }}</small></p>
{{ meter_svg }}
<h2>Consensus</h2>
<p>{{ film.consensus or '' }}</p>
{% for c in claims %}
<h3>{{ c.claim }}</h3>
{% for q in c.citations %}
<blockquote>&ldquo;{{ q.sentence }}&rdquo; <small>&mdash; {{ q.critic or 'unsigned' }}, {{ q.outlet }}
 (characters {{ q.char_start }}&ndash;{{ q.char_end }})</small></blockquote>
{% endfor %}
{% endfor %}
<h2>Scores</h2>
{% if score_svg %}
<p>Average {{ film.avg_score }} of {{ film.scored_count }} scored reviews{% if film.avg_score_label %}: {{ film.avg_score_label }}{% endif %}.</p>
{{ score_svg }}
{% else %}<p>No review printed a score.</p>{% endif %}
<h2>Praised</h2>
{% for a in praised %}
<h3>{{ a.aspect }} <small>{{ a.positive_count }} of {{ a.review_count }} reviews positive</small></h3>
{% for quote in [a.quote_1, a.quote_2] if quote %}<blockquote>&ldquo;{{ quote }}&rdquo;</blockquote>{% endfor %}
{% else %}<p>No aspect praised by most of the reviews that discuss it.</p>{% endfor %}
<h2>Faulted</h2>
{% for a in faulted %}
<h3>{{ a.aspect }} <small>{{ a.negative_count }} of {{ a.review_count }} reviews negative</small></h3>
{% for quote in [a.quote_1, a.quote_2] if quote %}<blockquote>&ldquo;{{ quote }}&rdquo;</blockquote>{% endfor %}
{% else %}<p>No aspect faulted by most of the reviews that discuss it.</p>{% endfor %}
{% if people %}
<h2>People critics mention</h2>
<table><thead><tr><th>Name</th><th>Role</th><th>Mentions</th><th>Reviews</th><th>Mean sentiment</th></tr></thead><tbody>
{% for p in people %}<tr><td>{{ p.person }}</td><td>{{ p.role or '' }}</td><td>{{ p.mention_count }}</td>
<td>{{ p.review_count }}</td><td>{{ p.mean_sentiment }}</td></tr>{% endfor %}
</tbody></table>
{% endif %}
<h2>Reviews</h2>
{% for r in reviews %}
<p><b class="{{ r.verdict }}">{{ r.verdict }}</b> {{ r.critic or 'unsigned' }}, {{ r.outlet }}
{% if r.is_top_critic %}<small>(top critic)</small>{% endif %}
{% if r.rating_raw %}<small>rated {{ r.rating_raw }}</small>{% endif %}<br>{{ r.excerpt }}</p>
{% endfor %}
</body></html>
"""
