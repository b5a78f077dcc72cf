// Loaded by .mocharc.pg.json: points the store tests at the local PostgreSQL unless the
// caller chose another server. Each suite creates and drops its own database there.
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
