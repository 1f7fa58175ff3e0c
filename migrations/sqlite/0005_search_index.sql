-- Substring search without scanning: trigram indexes (FTS5) over the columns
-- the jails and services lists search in. A search of three characters or
-- more asks the index; shorter ones still use LIKE. The indexes hold no
-- copy of the text (external content) and triggers keep them in step.

CREATE VIRTUAL TABLE jails_search USING fts5(
    name, hostname, ipv4, ipv6, content = 'jails', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO jails_search (jails_search) VALUES ('rebuild');
CREATE TRIGGER jails_search_insert AFTER INSERT ON jails BEGIN
    INSERT INTO jails_search (rowid, name, hostname, ipv4, ipv6)
    VALUES (new.id, new.name, new.hostname, new.ipv4, new.ipv6);
END;
CREATE TRIGGER jails_search_delete AFTER DELETE ON jails BEGIN
    INSERT INTO jails_search (jails_search, rowid, name, hostname, ipv4, ipv6)
    VALUES ('delete', old.id, old.name, old.hostname, old.ipv4, old.ipv6);
END;
CREATE TRIGGER jails_search_update AFTER UPDATE OF name, hostname, ipv4, ipv6 ON jails BEGIN
    INSERT INTO jails_search (jails_search, rowid, name, hostname, ipv4, ipv6)
    VALUES ('delete', old.id, old.name, old.hostname, old.ipv4, old.ipv6);
    INSERT INTO jails_search (rowid, name, hostname, ipv4, ipv6)
    VALUES (new.id, new.name, new.hostname, new.ipv4, new.ipv6);
END;

CREATE VIRTUAL TABLE services_search USING fts5(
    name, ports, content = 'services', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO services_search (services_search) VALUES ('rebuild');
CREATE TRIGGER services_search_insert AFTER INSERT ON services BEGIN
    INSERT INTO services_search (rowid, name, ports) VALUES (new.id, new.name, new.ports);
END;
CREATE TRIGGER services_search_delete AFTER DELETE ON services BEGIN
    INSERT INTO services_search (services_search, rowid, name, ports) VALUES ('delete', old.id, old.name, old.ports);
END;
CREATE TRIGGER services_search_update AFTER UPDATE OF name, ports ON services BEGIN
    INSERT INTO services_search (services_search, rowid, name, ports) VALUES ('delete', old.id, old.name, old.ports);
    INSERT INTO services_search (rowid, name, ports) VALUES (new.id, new.name, new.ports);
END;
