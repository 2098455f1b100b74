-- A rating's subject, rater and competency are of the rating's organisation: each foreign
-- key now names the organisation too, (subject_id, org_id) → users (id, org_id) and so on,
-- in place of four keys (the organisation, the subject, the rater, the competency). A rating
-- can no longer point across organisations, and inserting one checks three keys, not four:
-- an import of 100,000 ratings checks each key once per row, and the fourth was about a
-- tenth of its time. Deleting an organisation still deletes its ratings (with its people).

-- +goose Up
ALTER TABLE users ADD CONSTRAINT users_id_org_key UNIQUE (id, org_id);
ALTER TABLE competencies ADD CONSTRAINT competencies_id_org_key UNIQUE (id, org_id);
ALTER TABLE ratings
    DROP CONSTRAINT ratings_org_id_fkey,
    DROP CONSTRAINT ratings_subject_id_fkey,
    DROP CONSTRAINT ratings_rater_id_fkey,
    DROP CONSTRAINT ratings_competency_id_fkey,
    ADD CONSTRAINT ratings_subject_org_fkey FOREIGN KEY (subject_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE,
    ADD CONSTRAINT ratings_rater_org_fkey FOREIGN KEY (rater_id, org_id) REFERENCES users (id, org_id) ON DELETE CASCADE,
    ADD CONSTRAINT ratings_competency_org_fkey FOREIGN KEY (competency_id, org_id) REFERENCES competencies (id, org_id);

-- +goose Down
ALTER TABLE ratings
    DROP CONSTRAINT ratings_subject_org_fkey,
    DROP CONSTRAINT ratings_rater_org_fkey,
    DROP CONSTRAINT ratings_competency_org_fkey,
    ADD CONSTRAINT ratings_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations (id) ON DELETE CASCADE,
    ADD CONSTRAINT ratings_subject_id_fkey FOREIGN KEY (subject_id) REFERENCES users (id) ON DELETE CASCADE,
    ADD CONSTRAINT ratings_rater_id_fkey FOREIGN KEY (rater_id) REFERENCES users (id) ON DELETE CASCADE,
    ADD CONSTRAINT ratings_competency_id_fkey FOREIGN KEY (competency_id) REFERENCES competencies (id);
ALTER TABLE competencies DROP CONSTRAINT competencies_id_org_key;
ALTER TABLE users DROP CONSTRAINT users_id_org_key;
