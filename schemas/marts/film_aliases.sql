-- Grain: one row per surface title and year seen on a page (title, year).
CREATE OR REPLACE TEMP TABLE film_aliases AS
WITH surfaces AS (
    SELECT DISTINCT film_title AS title, film_year AS year, film_id, matched_title FROM intermediate.film_map
)
-- matched_title: the catalogue title (primary, original or aka) this surface matched; null when it did not
SELECT title, year, film_id, matched_title FROM surfaces ORDER BY film_id, title, year;
COMMENT ON TABLE film_aliases IS 'Grain: one row per surface title and year seen on a page.';
