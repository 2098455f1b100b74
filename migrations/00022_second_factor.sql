-- A second factor: time-based one-time passwords (RFC 6238) and recovery codes
-- (internal/mfa).
--
-- user_totp holds a user's TOTP secret, sealed like the SSO client secret (internal/auth
-- SecretBox). A row without confirmed_at is a set-up under way: the factor counts only
-- once a code from the authenticator confirmed it. last_step is the time step of the
-- last code accepted: a code is good once, even within its 30 seconds.
--
-- recovery_codes are single-use codes shown once when the factor is turned on; only a
-- SHA-256 of each is kept (they are 50 random bits, not guessable within the sign-in
-- throttle), and used_at marks the one spent.
--
-- organisations.require_admin_totp: admins of the organisation must turn the factor on
-- before they can do anything else.

-- +goose Up
CREATE TABLE user_totp (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_box   bytea NOT NULL,
    confirmed_at timestamptz,
    last_step    bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
    user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

ALTER TABLE organisations ADD COLUMN require_admin_totp boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE organisations DROP COLUMN require_admin_totp;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
