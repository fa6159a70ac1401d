import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes the SQL migrations into ./drizzle; they are committed and
// applied by the service on start and by `npm run migrate`, on PostgreSQL and PGlite alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
