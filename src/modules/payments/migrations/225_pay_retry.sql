-- Pay in one statement (payments/pay-statement.ts): when the Idempotency-Key turns out to be taken
-- by a request that committed while the statement ran, the statement must undo the payment it just
-- inserted. Raising an error rolls the whole (autocommit) statement back; the caller runs it again
-- and then sees that request's answer. SQLSTATE GR001 is this function's alone.
create function pay_retry(reason text) returns int language plpgsql as $$
begin
  raise exception 'pay: %', reason using errcode = 'GR001';
end;
$$;
