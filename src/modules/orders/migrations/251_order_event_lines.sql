-- The orders' events now carry their lines with product, amount paid and attribution
-- (`order.placed`, `order.paid`, `order.cancelled`, `order.refunded`: src/platform/events.ts). Events
-- published before this change and not yet delivered (or parked in the dead letters) are given the
-- same lines from the order, so their subscribers' payload check still passes: the line's attribution
-- ('direct' for lines from before migration 250), the amount what the line paid. Payloads that already have the new
-- lines are left as they are.
update outbox o
set payload = o.payload || jsonb_build_object('lines', coalesce((
  select jsonb_agg(jsonb_build_object(
           'skuId', l.sku_id, 'productId', l.product_id, 'quantity', l.quantity,
           'amountFen', coalesce(l.paid_fen, l.unit_price_fen * l.quantity),
           'attribution', jsonb_build_object('channel', l.channel, 'impressionId', l.impression_id,
                                            'contentId', l.content_id))
         order by l.sku_id)
  from order_lines l where l.order_id = (o.payload->>'orderId')::uuid), '[]'::jsonb))
where o.topic in ('order.placed', 'order.paid', 'order.cancelled', 'order.refunded') and o.done_at is null
  and (not (o.payload ? 'lines') or exists (
    select 1 from jsonb_array_elements(o.payload->'lines') e where not (e ? 'attribution')));

update outbox_dead_letters d
set payload = d.payload || jsonb_build_object('lines', coalesce((
  select jsonb_agg(jsonb_build_object(
           'skuId', l.sku_id, 'productId', l.product_id, 'quantity', l.quantity,
           'amountFen', coalesce(l.paid_fen, l.unit_price_fen * l.quantity),
           'attribution', jsonb_build_object('channel', l.channel, 'impressionId', l.impression_id,
                                            'contentId', l.content_id))
         order by l.sku_id)
  from order_lines l where l.order_id = (d.payload->>'orderId')::uuid), '[]'::jsonb))
where d.topic in ('order.placed', 'order.paid', 'order.cancelled', 'order.refunded')
  and (not (d.payload ? 'lines') or exists (
    select 1 from jsonb_array_elements(d.payload->'lines') e where not (e ? 'attribution')));
