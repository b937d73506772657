-- Each filing's summary (`pucha.summary/1`: verdict, score, each rule's status and points) beside its full report,
-- so a roll-up of a whole country reads a few hundred bytes per site instead of the whole report.
ALTER TABLE filings ADD COLUMN summary_json TEXT;
