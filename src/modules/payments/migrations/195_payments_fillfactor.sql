-- A captured payment's refunded_fen is updated in place for every refund (price protection may
-- refund thousands of payments per batch): leave room on each page so those updates stay on the
-- page (HOT), without a new entry in each of the table's five indexes.
alter table payments set (fillfactor = 80);
