-- The discount codes an order was placed with (Order.discountCodes), each once; null for an order loaded before they were
-- asked for. Cohorts filter by the first order's codes.
ALTER TABLE transform.order_header ADD COLUMN discount_codes text[];
