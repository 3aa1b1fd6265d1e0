import { defineConfig } from 'drizzle-kit';

// The station's SQLite migrations. Generate with `npm run db:generate` after editing the schema.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './migrations/station',
});
