alter table orders set (fillfactor = 80);
alter table order_lines set (fillfactor = 80);
alter table payments set (fillfactor = 80);
