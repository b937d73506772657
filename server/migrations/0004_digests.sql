-- What a roll-up needs of each filing, in a compact binary form (server/src/digest.rs); NULL where a filing
-- predates it, whose summary is read instead.
ALTER TABLE filings ADD COLUMN digest BLOB;
