-- Grain: one row per review and chunk (review_id, chunk_index).
CREATE OR REPLACE TEMP TABLE chunks AS
WITH published AS (
    SELECT chunks.* FROM staging.chunks AS chunks SEMI JOIN reviews USING (review_id)
)
SELECT review_id, chunk_index, text, char_start, char_end FROM published ORDER BY review_id, chunk_index;
COMMENT ON TABLE chunks IS 'Grain: one row per review and chunk_index; offsets index reviews.text.';
