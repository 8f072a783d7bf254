-- The member of lines without a variant (variant 0) names no product: it used to take the product of the first such
-- line met, and credited every later custom line to it.
UPDATE transform.dim_product
SET product_id = NULL, sku = NULL, product_title = 'Lines without a variant', variant_title = NULL, vendor = NULL, product_type = NULL
WHERE variant_id = 0;
