-- A shop's purge, remembered without the shop: the SHA-256 of its domain and when it was purged. A run requested before
-- the purge but delivered after it is never started (Privacy/PurgedShopFilter), so it writes nothing the purge would miss.
CREATE TABLE ingest.purged_shop (
    shop_sha256  text        PRIMARY KEY,
    purged_at    timestamptz NOT NULL
);
