import { defineConfig } from 'drizzle-kit';

// The hub's PostgreSQL migrations. Generate with `npm run hub:generate` after editing the schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/hub/schema.ts',
  out: './migrations/hub',
});
