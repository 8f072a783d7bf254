-- A line item, refund or fulfillment is keyed by its order and its own id: (shop, order, id). A child never moves to
-- another order, so the key is as unique as (shop, id) was, and it is also the index by which an order's children are
-- read; each table keeps one index fewer to maintain on every insert. That a child id is still unique within its
-- shop is a data-quality check (no_duplicate_child_ids).
ALTER TABLE transform.order_line_item DROP CONSTRAINT order_line_item_pkey, ADD PRIMARY KEY (shop_domain, order_id, line_item_id);
DROP INDEX transform.order_line_item_order;
ALTER TABLE transform.order_refund DROP CONSTRAINT order_refund_pkey, ADD PRIMARY KEY (shop_domain, order_id, refund_id);
DROP INDEX transform.order_refund_order;
ALTER TABLE transform.order_fulfillment DROP CONSTRAINT order_fulfillment_pkey, ADD PRIMARY KEY (shop_domain, order_id, fulfillment_id);
DROP INDEX transform.order_fulfillment_order;
