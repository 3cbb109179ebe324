import type { TestProject } from 'vitest/node';
import { createPgTemplate, dropPgDatabase, pgliteTemplateFile } from './db-template.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated PGlite database, which `freshDatabase()` loads (npm test). */
    gravityPgliteTemplate?: string;
    /** A migrated database on the server, which `freshDatabase()` clones (npm run test:pg). */
    gravityPgTemplate?: string;
  }
}

/**
 * Runs once per `vitest run`, before any test file: migrates one database, which every test
 * database is then cloned from (see db-template.ts and test-db.ts).
 */
export default async function setup(project: TestProject) {
  const env = { ...process.env, ...project.config.env };
  if (env.TEST_DATABASE !== 'postgres') {
    project.provide('gravityPgliteTemplate', await pgliteTemplateFile());
    return;
  }
  const adminUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = await createPgTemplate(adminUrl);
  project.provide('gravityPgTemplate', name);
  return async () => {
    await dropPgDatabase(adminUrl, name);
  };
}
