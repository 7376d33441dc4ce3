DROP TABLE plan_revisions;
