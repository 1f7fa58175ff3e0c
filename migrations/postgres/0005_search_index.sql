-- SQLite gets trigram search indexes here (FTS5). PostgreSQL keeps ILIKE
-- without one: pg_trgm is an extension an installation may not offer, and
-- the number stays in step with SQLite's migrations.
SELECT 1;
