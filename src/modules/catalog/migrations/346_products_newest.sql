-- The ops console's product list pages by keyset (created_at, id) newest first, with or without a
-- status filter (products_listing already leads with status; this one serves the unfiltered list).
create index products_newest on products (created_at desc, id desc);
