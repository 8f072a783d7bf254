-- Keys an admin made at run time (POST /api/keys), held as the settings' keys are: a salted SHA-256, never the key.
-- A revoked key keeps its row (the audit log names it) and is refused by every replica within a second.
CREATE TABLE gateway.api_key (
    key_id      text        PRIMARY KEY,
    role        text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    salt        text        NOT NULL,
    sha256      text        NOT NULL,
    shops       text[]      NOT NULL DEFAULT '{}',
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_by  text,
    revoked_at  timestamptz
);
