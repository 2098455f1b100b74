-- Accounts are per organisation: an e-mail address is unique within an organisation, not
-- across all of them. With one global address space, creating or importing a person
-- answered "already exists" for an address another organisation had (telling who has an
-- account elsewhere), and one organisation could take an address another needed.
--
-- Every existing row already satisfies the new constraint (the addresses were globally
-- unique), so the data stays as it is; only the indexes change. Index changes fire no
-- trigger: the data-version triggers of 00011 on users are untouched and keep bumping on
-- every insert, update and delete.
--
-- Sign-in looks an address up across organisations (internal/accounts): users_email_idx
-- serves it; the unique index, led by org_id, also serves what users_org_idx did.

-- +goose Up
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_org_email_key ON users (org_id, lower(email));
CREATE INDEX users_email_idx ON users (lower(email));
DROP INDEX users_org_idx;

-- +goose Down
-- Going back needs every address in one organisation at most: refuse, naming why, when
-- some address has accounts in several.
-- +goose StatementBegin
DO $do$
BEGIN
    IF EXISTS (SELECT FROM users GROUP BY lower(email) HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'cannot return to one account per e-mail: some addresses have accounts in several organisations';
    END IF;
END
$do$;
-- +goose StatementEnd
CREATE INDEX users_org_idx ON users (org_id);
DROP INDEX users_email_idx;
DROP INDEX users_org_email_key;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
