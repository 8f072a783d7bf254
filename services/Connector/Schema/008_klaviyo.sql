-- A shop's Klaviyo account is a connection too, reached with its private API key.
ALTER TABLE connector.connection DROP CONSTRAINT connection_provider_check;
ALTER TABLE connector.connection ADD CONSTRAINT connection_provider_check CHECK (provider IN ('shopify', 'meta', 'google_ads', 'ga4', 'klaviyo'));
