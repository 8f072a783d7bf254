-- The audit log: every action (anything but a read) and every admin read through the gateway, refused or done, with
-- the key's id (never the key), its role, the shop and run it concerned, the caller's address and the outcome.
CREATE TABLE gateway.audit_entry (
    entry_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at     timestamptz NOT NULL,
    key_id          text,
    role            text,
    method          text        NOT NULL,
    path            text        NOT NULL,
    shop_domain     text,
    run_id          uuid,
    client_address  text,
    trace_id        text,
    status          integer,
    outcome         text        NOT NULL CHECK (outcome IN ('pending', 'succeeded', 'refused', 'failed')),
    completed_at    timestamptz
);
CREATE INDEX audit_entry_received ON gateway.audit_entry (received_at DESC, entry_id DESC);
CREATE INDEX audit_entry_shop ON gateway.audit_entry (shop_domain, received_at DESC);
