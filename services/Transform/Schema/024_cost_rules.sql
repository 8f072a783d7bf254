-- Payment fees as Shopify reports them on an order's transactions, in minor units of the order's currency; null when it
-- reports none (a gateway whose fees it does not know, or an order loaded before fees were asked for): the shop's payment
-- fee rule counts those.
ALTER TABLE transform.order_header ADD COLUMN payment_fees_minor bigint;

-- What the cost rules apply to, per day (definitions in Marts/profit_daily.sql). Days refreshed before this migration
-- hold zeros until they are refreshed again.
ALTER TABLE transform.profit_daily
    ADD COLUMN orders                     integer NOT NULL DEFAULT 0,
    ADD COLUMN units                      integer NOT NULL DEFAULT 0,
    ADD COLUMN revenue_minor              bigint  NOT NULL DEFAULT 0,
    ADD COLUMN shopify_fees_minor         bigint  NOT NULL DEFAULT 0,
    ADD COLUMN orders_without_fees        integer NOT NULL DEFAULT 0,
    ADD COLUMN revenue_without_fees_minor bigint  NOT NULL DEFAULT 0;

-- A shop's cost rules, each in effect from a day to a day (inclusive; open-ended when effective_to is null). Every rule
-- in effect on a day applies to it:
--   shipping_per_order      amount_minor per counted order
--   shipping_per_unit       amount_minor per unit ordered
--   shipping_revenue_share  rate × the orders' revenue
--   payment_fee             amount_minor per order + rate × its revenue, for the orders whose fees Shopify does not report
--   fixed_monthly           amount_minor a month, spread over the days of each month
CREATE TABLE transform.cost_rule (
    shop_domain     text        NOT NULL,
    rule_id         bigint      GENERATED ALWAYS AS IDENTITY,
    kind            text        NOT NULL CHECK (kind IN ('shipping_per_order', 'shipping_per_unit', 'shipping_revenue_share', 'payment_fee', 'fixed_monthly')),
    name            text        NOT NULL,
    currency_code   text        NOT NULL,
    amount_minor    bigint      NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    rate            numeric(7, 6) NOT NULL DEFAULT 0 CHECK (rate >= 0 AND rate < 1),
    effective_from  date        NOT NULL,
    effective_to    date        CHECK (effective_to IS NULL OR effective_to >= effective_from),
    created_by      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, rule_id)
);
