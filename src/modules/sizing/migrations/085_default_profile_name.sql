-- A profile's name is null when it is the default one: the app shows the label's name ("我" / "Me")
-- in the reader's language instead of the language it happened to be created in.
alter table size_profiles alter column name drop not null;
update size_profiles set name = null
where (label = 'self' and name in ('我', 'Me'))
   or (label = 'partner' and name in ('伴侣', 'Partner'))
   or (label = 'child' and name in ('孩子', 'Child'))
   or (label = 'other' and name in ('其他', 'Other'));
