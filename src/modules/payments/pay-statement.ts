import { type PreparedStatement, preparedStatement } from '../../platform/prepared.ts';
import { checkoutOrdersForPaySql } from '../orders/index.ts';

/** What the pay statement answers: one row, from which `PaymentsService.pay` decides. */
export interface PayRow {
  /** The checkout's orders of this buyer (0: no such checkout) and how many can be paid now. */
  orders: number;
  payable: number;
  /** This key's earlier answer, when it was used before (then nothing else ran). */
  earlier_hash: string | null;
  earlier_status: number | null;
  earlier_response: unknown;
  /** The answer stored under the key now: a new payment (`fresh`, with its amount) or the live one. */
  response: { payment: { id: string; status: string } } | null;
  fresh: boolean | null;
  amount_fen: number | null;
}

/** SQLSTATE of `pay_retry` (migration 225): the statement was undone and may run again. */
export const PAY_RETRY_SQLSTATE = 'GR001';

/**
 * Pay for a checkout: the synchronous part in ONE prepared statement, autocommit (no BEGIN/COMMIT).
 * The provider is called afterwards, outside it. Parameters: $1 buyer account id, $2 Idempotency-Key,
 * $3 request hash, $4 checkout id, $5 now, $6 the new payment's id, $7 currency.
 *
 * All steps see one snapshot, taken when the statement starts, and none sees another's writes;
 * row locks and unique indexes still wait for concurrent transactions. So a request that commits
 * while this one runs is not seen in steps 1 and 6; its effects show as a conflict in step 4 or 8,
 * and the caller runs the statement again (bounded) to see them.
 */
export function payStatement(): PreparedStatement<PayRow> {
  // Declared on first use: orders' index imports payments', so its exports are not ready while
  // this module loads.
  statement ??= preparedStatement<PayRow>('payments.pay', payText());
  return statement;
}
let statement: PreparedStatement<PayRow> | undefined;

const payText = () =>
  `with
-- 1. This key's earlier answer (account, scope 'pay', key). When there is one, nothing below runs:
--    the caller replays it (same request hash) or refuses the key (another body).
earlier as materialized (
  select request_hash, status_code, response from idempotency_keys
  where account_id = $1::uuid and scope = 'pay' and key = $2::text
),
-- 2. The checkout's orders, locked for share, each with whether it can be paid now. Orders owns
--    this query (orders/payable-orders.ts).
checkout_orders as materialized (
  ${checkoutOrdersForPaySql({
    checkoutId: '$4::uuid',
    buyerId: '$1::uuid',
    now: '$5::timestamptz',
    when: 'not exists (select 1 from earlier)',
  })}
),
payable as (
  select order_id, total_fen from checkout_orders where payable
),
-- 3. The payment for what is payable now. At most one live payment per checkout: when there is
--    one (or one commits meanwhile) this inserts nothing.
created as (
  insert into payments (id, checkout_id, buyer_id, amount_fen, currency, status, created_at, updated_at)
  select $6::uuid, $4::uuid, $1::uuid, sum(total_fen), $7::text, 'created', $5::timestamptz, $5::timestamptz
  from payable having count(*) > 0
  on conflict (checkout_id) where status <> 'failed' do nothing
  returning id, amount_fen
),
-- 4. The orders it covers (those payable now: one cancelled or expired before paying is left out).
covered as (
  insert into payment_orders (payment_id, order_id, amount_fen)
  select created.id, payable.order_id, payable.total_fen from created cross join payable
),
-- 5. Otherwise the checkout's live payment (paid or paying under another key) is the answer.
live as (
  select id, status from payments
  where checkout_id = $4::uuid and buyer_id = $1::uuid and status <> 'failed'
    and not exists (select 1 from earlier) and not exists (select 1 from created)
),
-- 6. The answer: 202 with the payment.
answer as (
  select jsonb_build_object('payment', jsonb_build_object('id', id, 'status', 'created')) as response,
    true as fresh, amount_fen from created
  union all
  select jsonb_build_object('payment', jsonb_build_object('id', id, 'status', status)), false, null from live
),
-- 7. The key claimed with its answer, only when there is one: a refusal (not found, not payable)
--    keeps no key, so a retry runs again. A request with this key that committed after step 1
--    makes this insert nothing (one still running makes it wait for its end).
claim as (
  insert into idempotency_keys (account_id, scope, key, request_hash, status_code, response, created_at)
  select $1::uuid, 'pay', $2::text, $3::text, 202, response, $5::timestamptz from answer
  on conflict do nothing
  returning key
)
-- 8. What the caller decides from. An answer whose key was taken meanwhile is undone (pay_retry
--    raises, the whole statement rolls back) and the caller runs the statement again.
select
  (select count(*)::int from checkout_orders) as orders,
  (select count(*)::int from payable) as payable,
  e.request_hash as earlier_hash, e.status_code as earlier_status, e.response as earlier_response,
  a.response, a.fresh, a.amount_fen,
  case when a.response is not null and not exists (select 1 from claim) then pay_retry('key taken meanwhile') end
    as retry
from (values (1)) as one (x)
left join earlier e on true
left join answer a on true`;
