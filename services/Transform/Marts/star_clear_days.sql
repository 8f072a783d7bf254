-- The facts of the reporting days [@from, @to] go, to be written again whole from the staged orders and lines
-- (star_stage_days.sql); star_daily_days.sql then writes their daily facts.
DELETE FROM transform.fact_order_line f
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
  AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int;
-- A line re-read with another day than its fact has (its order's reporting day moved: another time zone, an order
-- re-dated) replaces that fact too, wherever it was dated.
DELETE FROM transform.fact_order_line f USING star_lines l
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND f.line_item_id = l.line_item_id;
