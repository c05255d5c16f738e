DROP INDEX records_search_deployments;
DROP INDEX records_search_systems;
ALTER TABLE records DROP COLUMN search;
