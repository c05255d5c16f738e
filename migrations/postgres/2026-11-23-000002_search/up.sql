-- Full-text search (PostgreSQL): a generated tsvector over records.search_text
-- (already cut into lower-case words by the application, the same words
-- SQLite indexes), with one GIN index per kind of record: a search of
-- systems never reads the posting lists, nor the rows, of a million
-- deployments that share a word with them.
ALTER TABLE records
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX records_search_systems ON records USING gin (search) WHERE kind = 'system';
CREATE INDEX records_search_deployments ON records USING gin (search) WHERE kind = 'deployment';
