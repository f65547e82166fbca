-- Grain: one row per consensus claim and cited review sentence (film_id, claim, review_id).
CREATE OR REPLACE TEMP TABLE consensus_citations AS
SELECT film_id, claim, review_id, char_start, char_end, sentence
FROM intermediate.claim_citations
ORDER BY film_id, claim_index, citation_index;
COMMENT ON TABLE consensus_citations IS 'Grain: one row per consensus claim and cited review sentence (film_id, claim, review_id); offsets index reviews.text.';
