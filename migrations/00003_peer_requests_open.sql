-- One open peer request per subject and reviewer; requests are listed by subject and requester.

-- +goose Up
CREATE UNIQUE INDEX peer_requests_open_key ON peer_requests (subject_id, reviewer_id) WHERE status = 'open';
CREATE INDEX peer_requests_subject_idx ON peer_requests (subject_id, created_at DESC);
CREATE INDEX peer_requests_requester_idx ON peer_requests (requested_by, created_at DESC);

-- +goose Down
DROP INDEX peer_requests_requester_idx;
DROP INDEX peer_requests_subject_idx;
DROP INDEX peer_requests_open_key;
