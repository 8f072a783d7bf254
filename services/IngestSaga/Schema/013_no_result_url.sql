-- The signed download URL of an operation's result is a bearer credential to the shop's data (the customers' file
-- among them): it is not kept. The Connector asks Shopify for it when it downloads.
ALTER TABLE ingest.bulk_sync_state DROP COLUMN result_url;
