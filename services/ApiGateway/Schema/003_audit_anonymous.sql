-- Actions tried without a valid key are counted, not written one row each: a flood of anonymous POSTs (already held to
-- Limits:AnonymousPerMinute per address by the rate limiter, which runs first) adds to one row per minute, method, path
-- and address.
CREATE TABLE gateway.audit_anonymous (
    minute          timestamptz NOT NULL,
    method          text        NOT NULL,
    path            text        NOT NULL,
    client_address  text        NOT NULL,
    refused         bigint      NOT NULL,
    PRIMARY KEY (minute, method, path, client_address)
);
