-- Carriers become codes (src/modules/orders/carriers.ts); the web names them in the reader's language.
-- Orders shipped before name their carrier in free text: the names and abbreviations in use map to
-- their code, anything else to `other` (the tracking number stays as it was).
create or replace function pg_temp.carrier_code(name text) returns text language sql immutable as $$
  select case
    when n in ('sf', 'sfexpress', '顺丰', '顺丰速运', '顺丰快递') then 'sf'
    when n in ('jd', 'jdl', '京东', '京东物流', '京东快递') then 'jd'
    when n in ('ems', '中国邮政', '邮政', '邮政ems', 'ems中国邮政') then 'ems'
    when n in ('zto', '中通', '中通快递') then 'zto'
    when n in ('yto', '圆通', '圆通速递', '圆通快递') then 'yto'
    when n in ('sto', '申通', '申通快递') then 'sto'
    when n in ('yunda', 'yd', '韵达', '韵达快递', '韵达速递') then 'yunda'
    when n in ('jt', 'j&t', '极兔', '极兔速递', '极兔快递') then 'jt'
    when n in ('deppon', 'db', '德邦', '德邦快递', '德邦物流') then 'deppon'
    else 'other'
  end
  from (select lower(replace(btrim(name), ' ', '')) as n) as t
$$;

update orders set carrier = pg_temp.carrier_code(carrier) where carrier is not null;

-- A retried cancel or confirm-receipt replays the answer stored with its Idempotency-Key: the order in
-- it names the carrier the same way.
update idempotency_keys
set response = jsonb_set(response, '{order,carrier}', to_jsonb(pg_temp.carrier_code(response #>> '{order,carrier}')))
where scope = 'order-action' and jsonb_typeof(response #> '{order,carrier}') = 'string';

alter table orders add constraint orders_carrier_code check (
  carrier in ('sf', 'jd', 'ems', 'zto', 'yto', 'sto', 'yunda', 'jt', 'deppon', 'other')
);

drop function pg_temp.carrier_code(text);
