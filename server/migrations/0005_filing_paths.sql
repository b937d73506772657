-- The owning unit's and the queue's paths on each filing, so a roll-up reads one table in one index range instead
-- of joining sites and units for every filing (units never move, nor do sites between units).
ALTER TABLE filings ADD COLUMN owner_path TEXT;
ALTER TABLE filings ADD COLUMN queue_path TEXT;
UPDATE filings SET owner_path = (SELECT u.path FROM sites s JOIN units u ON u.id = s.unit_id WHERE s.id = filings.site_id),
                   queue_path = (SELECT q.path FROM units q WHERE q.id = filings.queue_unit);
CREATE INDEX filings_owner ON filings(owner_path, site_id);
