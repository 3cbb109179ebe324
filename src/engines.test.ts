import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Every installed package.json under `dir` (scoped and nested node_modules included). */
function installedPackages(dir: string): { name: string; engines?: { node?: unknown }; where: string }[] {
  if (!fs.existsSync(dir)) return [];
  const found: { name: string; engines?: { node?: unknown }; where: string }[] = [];
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    const packageDirs = entry.startsWith('@')
      ? fs.readdirSync(path.join(dir, entry)).map((name) => path.join(dir, entry, name))
      : [path.join(dir, entry)];
    for (const packageDir of packageDirs) {
      const file = path.join(packageDir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      found.push({ name: pkg.name, engines: pkg.engines, where: path.relative(root, packageDir) });
      found.push(...installedPackages(path.join(packageDir, 'node_modules')));
    }
  }
  return found;
}

describe('dependencies and the Node version the project promises', () => {
  it('every installed package accepts the oldest Node that package.json `engines` allows', () => {
    const promised = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node;
    const oldest = semver.minVersion(promised);
    expect(oldest, `engines.node "${promised}"`).not.toBeNull();
    const packages = installedPackages(path.join(root, 'node_modules'));
    expect(packages.length).toBeGreaterThan(100);
    const refusing = packages
      .filter((p) => typeof p.engines?.node === 'string')
      .filter((p) => !semver.satisfies(oldest as semver.SemVer, p.engines?.node as string))
      .map((p) => `${p.where} wants node ${p.engines?.node}`);
    expect(refusing, `Node ${oldest} is refused by`).toEqual([]);
  });
});
