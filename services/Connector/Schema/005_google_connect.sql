-- A state nonce is also made when a caller connects a Google Ads customer or a GA4 property through Google's
-- authorization code flow: it names the provider and the account (and the manager it is reached through) the grant is for.
ALTER TABLE connector.install_state
    ADD COLUMN provider          text NOT NULL DEFAULT 'shopify',
    ADD COLUMN account           text,
    ADD COLUMN login_customer_id text;
