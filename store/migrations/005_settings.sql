-- Settings: values made once per database and kept for its life, by name.
-- The first is matrix_pickle_key, the random key that encrypts the Matrix
-- olm account and sessions when matrix.pickle_key is not configured.
CREATE TABLE settings (
	name    TEXT PRIMARY KEY,
	value   TEXT NOT NULL,
	created BIGINT NOT NULL
);
