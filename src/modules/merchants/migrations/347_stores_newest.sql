-- The ops console's merchant list pages by keyset (opened_at, id) newest first.
create index stores_newest on stores (opened_at desc, id desc);
