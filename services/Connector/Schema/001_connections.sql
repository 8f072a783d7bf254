-- The registry of connections: a shop, or an ad account or property of a shop. Owned by the Connector, the one service
-- that calls the providers; every other service keeps its own copy from the events in connection_event.
CREATE TABLE connector.connection (
    connection_id     uuid        PRIMARY KEY,
    shop_domain       text        NOT NULL,
    provider          text        NOT NULL CHECK (provider IN ('shopify', 'meta', 'google_ads', 'ga4')),
    account           text        NOT NULL,
    login_customer_id text,
    status            text        NOT NULL CHECK (status IN ('pending', 'active', 'failing', 'paused', 'disconnected')),
    status_reason     text,
    -- What the provider answered at the last check.
    name              text,
    currency_code     text,
    time_zone         text,
    plan              text,
    account_status    text,
    checked_at        timestamptz,
    -- Its settings.
    cron              text        NOT NULL,
    entities          text[]      NOT NULL DEFAULT '{}',
    history_start     date,
    lookback_minutes  integer,
    paused            boolean     NOT NULL DEFAULT false,
    -- Its credentials: a JSON document sealed with AES-256-GCM under the named key, bound to the connection's id and
    -- provider. NULL once destroyed (deleted, uninstalled).
    credential_key_id text,
    credential        bytea,
    version           bigint      NOT NULL DEFAULT 1,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- One live connection per provider and account: the same shop or account is not connected twice (a disconnected one may be
-- connected again).
CREATE UNIQUE INDEX connection_live_account ON connector.connection (provider, account) WHERE status <> 'disconnected';
CREATE INDEX connection_shop ON connector.connection (shop_domain);
CREATE INDEX connection_key ON connector.connection (credential_key_id) WHERE credential IS NOT NULL;

-- The events of the registry, written in the transaction of the change and published in order by one replica at a time.
CREATE TABLE connector.connection_event (
    seq           bigserial   PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    connection_id uuid        NOT NULL,
    message_type  text        NOT NULL,
    body          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX connection_event_pending ON connector.connection_event (seq) WHERE published_at IS NULL;
