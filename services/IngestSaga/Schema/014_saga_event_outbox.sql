-- The events a run publishes (its step changes, its completion or failure) are written here in the same transaction as
-- the run's saga row, and published from here: a process that dies between saving the run and publishing loses none.
-- An event's id is its message id on the bus, and is derived from the run and the event's place in it, so a subscriber
-- can drop a repeat.
CREATE TABLE ingest.saga_event_outbox (
    event_id     uuid PRIMARY KEY,
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    run_id       uuid NOT NULL,
    message_type text NOT NULL,
    body         jsonb NOT NULL,
    trace_parent text,
    created_at   timestamptz NOT NULL,
    published_at timestamptz
);

CREATE INDEX saga_event_outbox_unpublished ON ingest.saga_event_outbox (created_at, seq) WHERE published_at IS NULL;
CREATE INDEX saga_event_outbox_published ON ingest.saga_event_outbox (published_at) WHERE published_at IS NOT NULL;
