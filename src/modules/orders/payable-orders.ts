/**
 * Orders' part of paying a checkout, as SQL text for payments' one-statement pay
 * (payments/pay-statement.ts composes it into its fixed, prepared text): every order of the buyer's
 * checkout, locked for share in id order until the statement ends (an expiry or a cancel waits for
 * the payment to be recorded, and the payment sees their latest status), each with whether it can
 * be paid now — waiting for payment and not expired at `now`. Same rule as
 * `OrdersService.payableCheckout`, which credit uses.
 *
 * The arguments are SQL expressions (the caller's `$n` parameters, `when` a condition of the
 * caller's statement under which the orders are read at all). Columns: order_id, total_fen, payable.
 */
export function checkoutOrdersForPaySql(p: {
  checkoutId: string;
  buyerId: string;
  now: string;
  when: string;
}): string {
  return `select o.id as order_id, o.total_fen, (o.status = 'pending_payment' and o.expires_at > ${p.now}) as payable
    from checkouts c join orders o on o.checkout_id = c.id
    where c.id = ${p.checkoutId} and c.buyer_id = ${p.buyerId} and ${p.when}
    order by o.id for share of o`;
}
