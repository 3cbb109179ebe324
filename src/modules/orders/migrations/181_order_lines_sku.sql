-- Price protection (guarantees) reads a SKU's lines when its price drops: lines by SKU.
create index order_lines_sku on order_lines (sku_id);
