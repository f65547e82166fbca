-- Grain: one row per film and publish night (film_id, publish_night).
-- The one mart kept across publishes (it feeds the certified-fresh hysteresis in film_meters): declared here,
-- then tonight's rows replace any earlier publish of the same night. Models that read it (film_meters) run
-- before this one and see the earlier nights.
CREATE TABLE IF NOT EXISTS consensus_history (
    film_id          VARCHAR NOT NULL,
    publish_night    DATE NOT NULL,
    published_at     TIMESTAMP NOT NULL,
    review_count     BIGINT NOT NULL,
    fresh_count      BIGINT NOT NULL,
    tomatometer      INTEGER NOT NULL,
    status           VARCHAR,
    avg_score        DOUBLE,
    PRIMARY KEY (film_id, publish_night)
);
COMMENT ON TABLE consensus_history IS 'Grain: one row per film and publish night (film_id, publish_night); a night runs noon to noon in the config timezone and its latest publish wins.';

DELETE FROM consensus_history WHERE publish_night = getvariable('publish_night');
INSERT INTO consensus_history
SELECT film_id, getvariable('publish_night'), CAST(getvariable('published_at') AS TIMESTAMP),
       review_count, fresh_count, tomatometer, status, avg_score
FROM film_consensus;
