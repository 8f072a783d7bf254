-- When a connection's credential itself lapses (a Meta long-lived user token: about 60 days, and Meta renews none from a
-- server), so the connection turns failing then, saying so, rather than at its next run. Not secret; null for a credential
-- that does not lapse (a Shopify token, a system user's token, a Google refresh token).
ALTER TABLE connector.connection ADD COLUMN credential_expires_at timestamptz;
