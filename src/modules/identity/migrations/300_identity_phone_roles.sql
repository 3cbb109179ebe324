-- People are both (issue 15): one account per (phone, role), so a merchant's phone also signs in as a
-- buyer (a separate account with its own orders, follows and sessions). Operators stay provisioned.
alter table accounts drop constraint accounts_phone_key;
alter table accounts add constraint accounts_phone_role_key unique (phone, role);
