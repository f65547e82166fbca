-- Grain: one row per surface name and outlet (critic, outlet).
CREATE OR REPLACE TEMP TABLE critic_aliases AS
WITH spellings AS (
    SELECT DISTINCT coalesce(nullif(trim(critic), ''), '(unsigned)') AS critic, outlet, critic_id
    FROM intermediate.critic_identity
)
SELECT critic, outlet, critic_id FROM spellings ORDER BY critic_id, outlet, critic;
COMMENT ON TABLE critic_aliases IS 'Grain: one row per critic name as printed and outlet (critic, outlet); critic_id is the critic it is (one per person across spellings, and across outlets when the config pins names together).';
