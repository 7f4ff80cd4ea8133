import { defineConfig } from 'prisma/config';

// DATABASE_URL is optional here: `prisma generate` (run by `build`, also in CI) needs no database, and
// prisma's env('DATABASE_URL') helper would throw when it is unset. Migrations use scripts/migrate.mjs.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
