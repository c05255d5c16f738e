-- Full-text search (PostgreSQL): a generated tsvector over records.search_text
-- with a GIN index. The 'simple' configuration: names and places in Dutch,
-- English and every other EU language, so no stemming of one language.
ALTER TABLE records
    ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX records_search ON records USING gin (search);
