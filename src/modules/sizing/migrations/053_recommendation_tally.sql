-- Anonymous recommendations are counted per day, not logged one row each: each server adds up its
-- calls in memory and adds them here in one statement now and then (sizing/recommendation-tally.ts).
create table size_recommendation_tally (
  day date primary key,
  anonymous int not null
);
