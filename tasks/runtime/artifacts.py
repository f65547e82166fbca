"""Run summaries for the Prefect UI: the top films as table rows, and a markdown note (scraped text made inert)."""
from __future__ import annotations

import html

from critics.tasks.warehouse.load import query_frame

TOP_FILMS = 20


def top_film_rows(con, limit: int = TOP_FILMS) -> list[dict]:
    """The best-rated films with their figures, every string sanitised for display."""
    frame = query_frame(con, """SELECT title, year, tomatometer, tomatometer_low, tomatometer_high, status,
                                       review_count, avg_score, avg_score_label
                                FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title LIMIT ?""", [limit])
    return [{k: sanitise(v) if isinstance(v, str) else v for k, v in row.items()} for row in frame.to_dicts()]


def run_summary_markdown(con, summary: dict[str, int]) -> str:
    """Films, reviews, new reviews tonight and failures, as markdown."""
    films, reviews = con.execute("SELECT (SELECT count(*) FROM films), (SELECT count(*) FROM reviews)").fetchone()
    lines = ["# Critics publish", "", "| figure | value |", "|---|---|",
             f"| films | {films} |", f"| reviews | {reviews} |",
             f"| new or changed reviews tonight | {summary.get('loaded', 0)} |",
             f"| failed pages | {summary.get('rejected', 0)} |",
             f"| URLs discovered | {summary.get('discovered', 0)} |"]
    if summary.get("rejected"):
        lines += ["", "Failures: `SELECT * FROM url_outcomes WHERE outcome = 'rejected'`"]
    return "\n".join(lines) + "\n"


def sanitise(text: str) -> str:
    """Scraped text made inert for the UI: one line, no live HTML, no table-breaking pipes."""
    return html.escape(" ".join(text.split())).replace("|", "&#124;")
