-- Single sign-on with OpenID Connect, per organisation (internal/sso).
--
-- org_sso holds an organisation's provider: issuer, client id and the client secret,
-- sealed with AES-256-GCM under a key derived from TEAMSHAPE_JWT_SECRET (internal/auth
-- SecretBox): a copy of the database alone does not give the secret away, and no route
-- ever returns it. password_sign_in false turns password sign-in off for the
-- organisation; auto_create lets a verified, unknown e-mail become an account with
-- default_role (never admin).
--
-- sso_logins are the sign-ins under way: the state (only its SHA-256 is kept), the nonce
-- and the PKCE verifier of each authorisation request. The callback deletes the row it
-- uses, so a state is good once (a replayed callback finds nothing), and rows expire.

-- +goose Up
CREATE TABLE org_sso (
    org_id            bigint PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    issuer            text NOT NULL CHECK (issuer ~ '^https?://' AND length(issuer) <= 500),
    client_id         text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 300),
    client_secret_box bytea NOT NULL,
    enabled           boolean NOT NULL DEFAULT true,
    password_sign_in  boolean NOT NULL DEFAULT true,
    auto_create       boolean NOT NULL DEFAULT false,
    default_role      text NOT NULL DEFAULT 'pm' CHECK (default_role IN ('leader', 'pm', 'hr')),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sso_logins (
    state_hash bytea PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    nonce      text NOT NULL,
    verifier   text NOT NULL,
    next       text NOT NULL DEFAULT '/',
    expires_at timestamptz NOT NULL
);
CREATE INDEX sso_logins_expires_idx ON sso_logins (expires_at);

-- +goose Down
DROP TABLE sso_logins;
DROP TABLE org_sso;
