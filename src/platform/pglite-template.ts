import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

/**
 * A freshly initialised PGlite data directory, shipped with the code. PGlite's initdb costs
 * 7–8 s of CPU (most of a first `gravity migrate`); loading this dump into a new DATA_DIR
 * instead costs about one. The dump holds PostgreSQL's catalog only, no table of ours (the
 * migrations run after it as usual), and is tied to the exact PGlite version that made it:
 * with any other version the file is not found and PGlite runs initdb as before.
 * `gravity pglite-template` writes the file for the installed version.
 */
const templateDir = path.resolve(import.meta.dirname, 'pglite-template');

export function installedPgliteVersion(): string {
  // The package's exports hide package.json: find it from the entry point.
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('@electric-sql/pglite/package.json not found');
    dir = parent;
  }
}

export function pgliteTemplateFile(version = installedPgliteVersion()): string {
  return path.join(templateDir, `initdb-${version}.tar.br`);
}

/** The initialised data directory for the installed PGlite, as a tar; undefined when none ships. */
export function pgliteInitdbTemplate(): Blob | undefined {
  const file = pgliteTemplateFile();
  if (!fs.existsSync(file)) return undefined;
  return new Blob([zlib.brotliDecompressSync(fs.readFileSync(file))]);
}

/** Runs PGlite's initdb in memory and writes the dump for the installed version; returns its path. */
export async function writePgliteInitdbTemplate(): Promise<string> {
  const pglite = new PGlite();
  await pglite.waitReady;
  await pglite.exec('checkpoint');
  const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
  await pglite.close();
  const file = pgliteTemplateFile();
  fs.mkdirSync(templateDir, { recursive: true });
  // Only the installed version's dump is of use.
  for (const old of fs.readdirSync(templateDir)) fs.rmSync(path.join(templateDir, old));
  fs.writeFileSync(
    file,
    zlib.brotliCompressSync(tar, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
    }),
  );
  return file;
}
