"""Run summaries for the Prefect UI: top films as table rows, and markdown notes (scraped text made inert)."""
from __future__ import annotations

import html

from critics.tasks.runtime.verdict import is_failure
from critics.tasks.warehouse.load import query_frame

TOP_FILMS = 20
TOP_REASONS = 8
TOP_FAILURES = 10
MORE_SQL = """-- every URL of last night and what became of it
SELECT outcome, reason, count(*) FROM url_outcomes WHERE run_kind = 'nightly' GROUP BY ALL ORDER BY 3 DESC;
-- the latest runs of every kind, with their state and counts
SELECT * FROM runs ORDER BY started_at DESC LIMIT 10;"""


def top_film_rows(con, limit: int = TOP_FILMS) -> list[dict]:
    """The best-rated films with their figures, every string made a plain one-line table cell."""
    frame = query_frame(con, """SELECT title, year, tomatometer, tomatometer_low, tomatometer_high, status,
                                       review_count, avg_score, avg_score_label
                                FROM film_consensus ORDER BY tomatometer DESC, review_count DESC, title LIMIT ?""", [limit])
    return [{k: table_cell(v) if isinstance(v, str) else v for k, v in row.items()} for row in frame.to_dicts()]


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


def morning_markdown(con, run_id: str, title: str, verdict_line: str, schedule_line: str) -> str:
    """The night at a glance: pages by outcome and top reasons, status changes, new reviews, failures, more SQL."""
    sections = [f"# {sanitise(title)}", "", sanitise(verdict_line), "",
                f"Run id (the Prefect flow run id): `{sanitise(run_id)}`. {sanitise(schedule_line)}", "",
                *_outcome_table(con, run_id), *_reason_table(con, run_id), *_status_changes(con),
                *_new_reviews(con, run_id), *_failures(con, run_id),
                "## See more", "", "```sql", MORE_SQL, "```"]
    return "\n".join(sections) + "\n"


def _outcome_table(con, run_id: str) -> list[str]:
    rows = con.execute("""SELECT outcome, count(*) FROM raw.url_outcomes WHERE run_id = ?
                          GROUP BY outcome ORDER BY 2 DESC, 1""", [run_id]).fetchall()
    return ["## Pages by outcome", "", "| outcome | pages |", "|---|---:|",
            *(f"| {o} | {n} |" for o, n in rows), ""]


def _reason_table(con, run_id: str) -> list[str]:
    rows = con.execute(f"""SELECT outcome, reason, count(*) FROM raw.url_outcomes
                           WHERE run_id = ? AND reason IS NOT NULL GROUP BY ALL ORDER BY 3 DESC, 2
                           LIMIT {TOP_REASONS}""", [run_id]).fetchall()
    if not rows:
        return []
    return ["## Top reasons", "", "| outcome | reason | pages |", "|---|---|---:|",
            *(f"| {o} | {sanitise(r)} | {n} |" for o, r, n in rows), ""]


def _status_changes(con) -> list[str]:
    rows = con.execute("""WITH nights AS (SELECT DISTINCT publish_night FROM consensus_history
                                           ORDER BY publish_night DESC LIMIT 2),
                               now AS (SELECT * FROM consensus_history WHERE publish_night = (SELECT max(publish_night) FROM nights)),
                               before AS (SELECT * FROM consensus_history WHERE publish_night = (SELECT min(publish_night) FROM nights)
                                          AND (SELECT count(*) FROM nights) = 2)
                          SELECT f.title, f.year, b.status, n.status, n.tomatometer, n.review_count
                          FROM now n LEFT JOIN before b USING (film_id) JOIN films f USING (film_id)
                          WHERE n.status IS DISTINCT FROM b.status
                          ORDER BY n.status = 'certified_fresh' DESC, n.review_count DESC, f.title""").fetchall()
    certified = [r for r in rows if r[3] == "certified_fresh"]
    lines = [f"## Films whose status changed ({len(rows)})", ""]
    if rows:
        lines += ["| film | was | now | tomatometer | reviews |", "|---|---|---|---:|---:|",
                  *(f"| {_film(t, y)} | {b or 'none'} | {n or 'none'} | {m} | {c} |" for t, y, b, n, m, c in rows[:20])]
    lines += ["", f"## Newly certified fresh ({len(certified)})", ""]
    lines += [f"- {_film(t, y)}: {m}% of {c} reviews" for t, y, _, _, m, c in certified] or ["None tonight."]
    return lines + [""]


def _new_reviews(con, run_id: str) -> list[str]:
    rows = con.execute("""SELECT outlet, count(*) FROM staging.reviews WHERE run_id = ?
                          GROUP BY outlet ORDER BY 2 DESC, 1 LIMIT 20""", [run_id]).fetchall()
    lines = [f"## New or changed reviews per outlet ({sum(n for _, n in rows)})", ""]
    if not rows:
        return lines + ["None tonight.", ""]
    return lines + ["| outlet | reviews |", "|---|---:|", *(f"| {sanitise(o or '')} | {n} |" for o, n in rows), ""]


def _failures(con, run_id: str) -> list[str]:
    rows = con.execute("""SELECT source, url, reason FROM raw.url_outcomes WHERE run_id = ? AND outcome = 'rejected'
                          ORDER BY source, url""", [run_id]).fetchall()
    failed = [r for r in rows if is_failure(r[2])]
    lines = [f"## Failed ({len(failed)})", ""]
    if not failed:
        return lines + ["Nothing failed.", ""]
    lines += ["| source | URL | reason |", "|---|---|---|",
              *(f"| {sanitise(s)} | {sanitise(u)} | {sanitise(r or '')} |" for s, u, r in failed[:TOP_FAILURES])]
    if len(failed) > TOP_FAILURES:
        lines += ["", f"... and {len(failed) - TOP_FAILURES} more (see the SQL below)."]
    return lines + [""]


def _film(title: str, year: int | None) -> str:
    return sanitise(title) + (f" ({year})" if year else "")


def sanitise(text: str) -> str:
    """Scraped text made inert for markdown: one line, no live HTML, no table-breaking pipes, no link syntax."""
    text = html.escape(" ".join(str(text).split()), quote=False)
    return text.replace("|", "&#124;").replace("[", "\\[").replace("]", "\\]").replace("`", "'")


def table_cell(text: str) -> str:
    """Scraped text for a table artifact, which the UI shows as plain text: one line, angle brackets defused.

    Not HTML-escaped: the UI escapes table cells itself, so an entity would show as `&#x27;`."""
    return " ".join(text.split()).replace("<", "\u2039").replace(">", "\u203a")
