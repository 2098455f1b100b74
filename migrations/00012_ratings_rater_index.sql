-- ratings.rater_id references users with ON DELETE CASCADE but had no index: deleting a
-- user (or an organisation, by cascade) scanned every rating once per deleted user. It also
-- serves "ratings this person gave" (peer answers).

-- +goose Up
CREATE INDEX ratings_rater_idx ON ratings (rater_id);

-- +goose Down
DROP INDEX ratings_rater_idx;
