-- The orders' events now carry their lines with product, amount paid and attribution
-- (`order.placed`, `order.paid`, `order.cancelled`, `order.refunded`: src/platform/events.ts). Events
-- published before this change and not yet delivered (or parked in the dead letters) are given the
-- same lines from the order, so their subscribers' payload check still passes: attribution 'direct'
-- (nothing was recorded then), the amount what the line paid.
update outbox o
set payload = o.payload || jsonb_build_object('lines', coalesce((
  select jsonb_agg(jsonb_build_object(
           'skuId', l.sku_id, 'productId', l.product_id, 'quantity', l.quantity,
           'amountFen', coalesce(l.paid_fen, l.unit_price_fen * l.quantity),
           'attribution', jsonb_build_object('channel', 'direct', 'impressionId', null, 'contentId', null))
         order by l.sku_id)
  from order_lines l where l.order_id = (o.payload->>'orderId')::uuid), '[]'::jsonb))
where o.topic in ('order.placed', 'order.paid', 'order.cancelled', 'order.refunded') and o.done_at is null;

update outbox_dead_letters d
set payload = d.payload || jsonb_build_object('lines', coalesce((
  select jsonb_agg(jsonb_build_object(
           'skuId', l.sku_id, 'productId', l.product_id, 'quantity', l.quantity,
           'amountFen', coalesce(l.paid_fen, l.unit_price_fen * l.quantity),
           'attribution', jsonb_build_object('channel', 'direct', 'impressionId', null, 'contentId', null))
         order by l.sku_id)
  from order_lines l where l.order_id = (d.payload->>'orderId')::uuid), '[]'::jsonb))
where d.topic in ('order.placed', 'order.paid', 'order.cancelled', 'order.refunded');
