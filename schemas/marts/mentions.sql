-- Grain: one row per mention (review_id, char_start).
CREATE OR REPLACE TEMP TABLE mentions AS
WITH published AS (
    SELECT mentions.* FROM staging.mentions AS mentions SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, name, kind, role, surface, char_start, char_end, sentiment
FROM published ORDER BY review_id, char_start;
COMMENT ON TABLE mentions IS 'Grain: one row per mention (review_id, char_start); offsets index reviews.text.';
