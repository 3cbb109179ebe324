import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = path.join(repoRoot, 'web');

/** Newest modification time (ms) of a file or of any file below a folder; 0 when absent. */
function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** True when `web/dist/index.html` is missing or older than the app's sources. */
export function webBuildIsStale(): boolean {
  const built = newestMtime(path.join(webRoot, 'dist', 'index.html'));
  if (built === 0) return true;
  const sources = Math.max(
    newestMtime(path.join(webRoot, 'src')),
    newestMtime(path.join(webRoot, 'index.html')),
    newestMtime(path.join(webRoot, 'public')),
    newestMtime(path.join(webRoot, 'vite.config.ts')),
  );
  return sources > built;
}

/** Builds the web app with Vite when its build is missing or out of date (works from any cwd). */
export async function ensureWebBuilt(say: (line: string) => void = console.log): Promise<void> {
  if (!webBuildIsStale()) {
    say('web app is up to date (web/dist)');
    return;
  }
  if (!fs.existsSync(path.join(webRoot, 'src'))) return;
  say('building the web app (web/dist)…');
  const started = performance.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
  say(`web app built in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}
