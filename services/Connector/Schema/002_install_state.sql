-- The state nonces of Shopify's install flow: made when a caller starts an install for a shop, used once by the callback
-- Shopify redirects the merchant to, within their lifetime. The connection the callback makes is made on behalf of the
-- caller that started it.
CREATE TABLE connector.install_state (
    state       text        PRIMARY KEY,
    shop_domain text        NOT NULL,
    caller      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
