-- Issue 15: follow-store coupons are granted on follow (never claimed by hand nor applied automatically),
-- and fan-only coupons (粉丝专享券) are claimed through the store's fan route. Both are held once per
-- buyer: the grant or claim is the buyer's claim number 1, unique per coupon and buyer, so an unfollow
-- and a new follow cannot grant it again.
alter table coupons drop constraint coupons_kind_check;
alter table coupons add constraint coupons_kind_check
  check (kind in ('store_coupon', 'platform_coupon', 'follow_coupon', 'fan_coupon'));
update coupons set auto_claim = false, per_buyer_limit = 1 where kind = 'follow_coupon';
alter table coupons add constraint coupons_fan_kinds_held_once
  check (kind not in ('follow_coupon', 'fan_coupon') or (not auto_claim and per_buyer_limit = 1));
