-- The ops console's order list pages by keyset (created_at, id) newest first, with or without a
-- status filter: these indexes make any page, however deep, an index range scan.
create index orders_newest on orders (created_at desc, id desc);
create index orders_status_newest on orders (status, created_at desc, id desc);
