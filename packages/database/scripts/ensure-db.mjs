#!/usr/bin/env node
// Creates the database named in DATABASE_URL when it does not exist yet, so a fresh machine works:
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/isola node scripts/ensure-db.mjs
// (connects to the `postgres` maintenance database on the same server, with the same credentials).
import { databaseUrlFromEnv, ensureDatabase, run, where } from './lib/postgres.mjs';

run(async () => {
  const { parts } = databaseUrlFromEnv();
  const created = await ensureDatabase(parts);
  console.log(created ? `Created database ${where(parts)}.` : `Database ${where(parts)} already exists.`);
});
