-- The default-review task's walk over delivered orders (linesDeliveredBetween): orders delivered,
-- completed or refunded after delivery, in (delivered_at else completed_at, id) order, read from a
-- (time, id) position. Same expression and predicate as the query, so the walk is an index range scan.
create index orders_delivered_for_reviews on orders ((coalesce(delivered_at, completed_at)), id)
  where status in ('delivered', 'completed', 'refunded');
