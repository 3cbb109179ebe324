-- Checkout in one statement (place-checkout.sql).

-- Order numbers: YYYYMMDD- and this sequence's next value, zero-padded to 9 digits (more digits
-- once it passes 999999999). Unique by construction, whatever the number of rows or processes.
create sequence if not exists order_no_seq;

-- Called by checkout's one statement when a check failed: raising aborts the whole statement, so
-- every data-modifying step in it rolls back. SQLSTATE GC001; the message is
-- `checkout_refused <code> <detail as JSON>`, which the application maps to its 409/422 answers.
create or replace function checkout_refused(code text, detail jsonb) returns boolean
language plpgsql volatile as $$
begin
  raise exception 'checkout_refused % %', code, coalesce(detail, '{}'::jsonb)::text
    using errcode = 'GC001';
end;
$$;
