-- The per-buyer limit held by a unique key: a buyer's claims of a coupon are numbered 1, 2, … in
-- claim order, and every new claim takes (the buyer's claims of that coupon) + 1. A claim counted
-- from a stale snapshot (checkout's one statement cannot see claims committed after it started)
-- takes a number already taken, so it collides instead of passing the limit. Claims are never
-- deleted one by one (only with their coupon), so the numbers stay 1..n without gaps.
alter table coupon_claims add column ordinal int;
update coupon_claims cl set ordinal = n.ordinal
from (select id, row_number() over (partition by coupon_id, buyer_id order by claimed_at, id)::int as ordinal
      from coupon_claims) n
where n.id = cl.id;
alter table coupon_claims alter column ordinal set not null;
create unique index coupon_claims_ordinal on coupon_claims (coupon_id, buyer_id, ordinal);
