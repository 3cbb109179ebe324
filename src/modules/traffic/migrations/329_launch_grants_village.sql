-- Launch credits are also a newbie-village reward (growth module): granted by `village`, once per
-- store and step (growth's step row, written in the same transaction, decides).
alter table traffic_launch_grants drop constraint traffic_launch_grants_granted_by_check;
alter table traffic_launch_grants add constraint traffic_launch_grants_granted_by_check
  check (granted_by in ('auto', 'operator', 'village'));
