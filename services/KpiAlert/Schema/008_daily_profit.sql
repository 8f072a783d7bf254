-- Each day's profit as the Transform computed it (DailySalesFigure.Profit): null for a day copied from a computation
-- that did not carry it.
ALTER TABLE kpi.daily_sales
    ADD COLUMN net_sales_minor           bigint,
    ADD COLUMN cogs_minor                bigint,
    ADD COLUMN shipping_cost_minor       bigint,
    ADD COLUMN payment_fees_minor        bigint,
    ADD COLUMN fixed_expenses_minor      bigint,
    ADD COLUMN first_orders              bigint,
    ADD COLUMN first_order_revenue_minor bigint,
    ADD COLUMN repeat_orders             bigint,
    ADD COLUMN repeat_revenue_minor      bigint;
