-- Orders and their lines are updated in place all their life (status, refunds, price-protection
-- payouts on a hot SKU): leave room on each page so those updates stay on the page (HOT), without
-- a new entry in each of the tables' indexes.
alter table orders set (fillfactor = 80);
alter table order_lines set (fillfactor = 80);
