-- Moderation (reviews module): an operator removes a store's reply (contact details, links, abuse) without
-- touching the buyer's review. The reply's text stays for the record; a removed reply is not shown publicly
-- and the store may not reply again (reply_body stays set).
alter table reviews add column reply_removed_reason text;
alter table reviews add column reply_removed_at timestamptz;
