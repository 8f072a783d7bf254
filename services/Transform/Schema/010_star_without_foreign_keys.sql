-- Facts reference their dimensions by key without foreign-key triggers: a trigger a row and a key costs more than the
-- insert of a large refresh. The data-quality check every_fact_has_its_dimensions holds the references after every run.
ALTER TABLE transform.fact_order_line
    DROP CONSTRAINT fact_order_line_shop_key_fkey,
    DROP CONSTRAINT fact_order_line_date_key_fkey,
    DROP CONSTRAINT fact_order_line_product_key_fkey,
    DROP CONSTRAINT fact_order_line_customer_key_fkey,
    DROP CONSTRAINT fact_order_line_channel_key_fkey;
ALTER TABLE transform.fact_daily_sales
    DROP CONSTRAINT fact_daily_sales_shop_key_fkey,
    DROP CONSTRAINT fact_daily_sales_date_key_fkey,
    DROP CONSTRAINT fact_daily_sales_channel_key_fkey;
