-- Grain: one row per critic (as written) and outlet.
-- Internal: with the critic_stats grouping name, an integer key for that name and outlet (grouping a million
-- reviews on integers instead of strings), and the top-critic flag.
CREATE OR REPLACE TEMP TABLE critic_map AS
WITH pairs AS (
    SELECT DISTINCT critic, outlet FROM staging.reviews
),
named AS (
    -- critic_name is the identity's display name: spellings of one critic at an outlet group together
    SELECT pairs.critic, pairs.outlet, identity.critic_name, identity.critic_id,
           coalesce(lower(trim(pairs.critic)) IN (SELECT critic_key FROM intermediate.top_critics), false) AS is_top_critic
    FROM pairs
    JOIN intermediate.critic_identity AS identity
      ON identity.critic IS NOT DISTINCT FROM pairs.critic AND identity.outlet = pairs.outlet
)
SELECT critic, outlet, critic_name, critic_id, is_top_critic,
       CAST(dense_rank() OVER (ORDER BY critic_id, outlet) AS INTEGER) AS critic_outlet_key
FROM named;
