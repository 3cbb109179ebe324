import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One logged round of the Open Bandit Dataset: one item shown in one slot of ZOZOTOWN's
 * three-item recommendation widget, with the logging policy's probability of that choice.
 */
export interface LoggedRound {
  /** Microseconds since the epoch (the CSV's `timestamp`), for the time split. */
  timeUs: number;
  /** 0-based action: the CSV's `item_id`. */
  item: number;
  /** 0-based slot: the CSV's `position` (1/2/3 = left/centre/right) minus one. */
  position: number;
  /** The CSV's `click`, 0 or 1. */
  click: number;
  /** The logging policy's π_b(item | x, position): the CSV's `propensity_score`. */
  propensity: number;
  /** Items whose `user-item_affinity_<i>` is non-zero for this user (past clicks), ascending. */
  affinityItems: number[];
}

export interface BanditLog {
  file: string;
  /** Number of actions: the count of `user-item_affinity_<i>` columns (0…nItems−1). */
  nItems: number;
  rounds: LoggedRound[];
}

/** The columns the reader needs; `user-item_affinity_0…N−1` are needed too (N = number of items). */
export const REQUIRED_COLUMNS = ['timestamp', 'item_id', 'position', 'click', 'propensity_score'] as const;

export class BanditLogError extends Error {}

const TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?$/;

/** `2019-11-24 00:03:13.442536+00:00` → microseconds since the epoch (sub-millisecond digits kept). */
export function parseTimestampUs(text: string): number {
  const m = TIMESTAMP.exec(text);
  if (!m) return Number.NaN;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  const micros = m[3] ? Number(m[3].padEnd(6, '0')) : 0;
  return ms * 1000 + micros;
}

/**
 * Reads one OBD log CSV (whole file; 10k rows is ~3 MB). Strict: every needed column must be
 * present and every needed cell numeric, else a BanditLogError naming the file, line and column.
 * The data is plain numeric CSV plus hex-hashed user features, so no quoting is handled: a quote
 * in the header is an error.
 */
export function parseBanditLog(text: string, file: string): BanditLog {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new BanditLogError(`${file}: empty file (no header)`);
  if (lines[0].includes('"')) throw new BanditLogError(`${file}: quoted CSV is not supported`);
  const header = lines[0].split(',');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  for (const name of REQUIRED_COLUMNS)
    if (!col.has(name)) throw new BanditLogError(`${file}: missing column "${name}"`);
  let nItems = 0;
  while (col.has(`user-item_affinity_${nItems}`)) nItems++;
  if (nItems === 0) throw new BanditLogError(`${file}: missing columns "user-item_affinity_0…N"`);
  const affinityCols = Array.from({ length: nItems }, (_, i) => col.get(`user-item_affinity_${i}`) as number);
  const at = (name: string) => col.get(name) as number;
  const [cTime, cItem, cPos, cClick, cProp] = REQUIRED_COLUMNS.map(at);
  const rounds: LoggedRound[] = [];
  for (let ln = 1; ln < lines.length; ln++) {
    const cells = lines[ln].split(',');
    const bad = (what: string): never => {
      throw new BanditLogError(`${file}:${ln + 1}: bad ${what}`);
    };
    if (cells.length !== header.length) bad(`row: ${cells.length} cells, header has ${header.length}`);
    const timeUs = parseTimestampUs(cells[cTime]);
    if (!Number.isFinite(timeUs)) bad(`timestamp "${cells[cTime]}"`);
    const item = Number(cells[cItem]);
    if (!Number.isInteger(item) || item < 0 || item >= nItems) bad(`item_id "${cells[cItem]}"`);
    const position = Number(cells[cPos]);
    if (!Number.isInteger(position) || position < 1) bad(`position "${cells[cPos]}"`);
    const click = Number(cells[cClick]);
    if (click !== 0 && click !== 1) bad(`click "${cells[cClick]}"`);
    const propensity = Number(cells[cProp]);
    if (!(propensity > 0 && propensity <= 1)) bad(`propensity_score "${cells[cProp]}"`);
    const affinityItems: number[] = [];
    for (let i = 0; i < nItems; i++) {
      const v = Number(cells[affinityCols[i]]);
      if (!Number.isFinite(v)) bad(`user-item_affinity_${i} "${cells[affinityCols[i]]}"`);
      if (v > 0) affinityItems.push(i);
    }
    rounds.push({ timeUs, item, position: position - 1, click, propensity, affinityItems });
  }
  return { file, nItems, rounds };
}

export function readBanditLog(file: string): BanditLog {
  if (!existsSync(file)) throw new BanditLogError(`missing file: ${file}`);
  return parseBanditLog(readFileSync(file, 'utf8'), file);
}

export type Campaign = 'men' | 'women';

/** The two logs of one campaign under DIR, laid out as the OBD's `obd/` folder. */
export function campaignLogFiles(dir: string, campaign: Campaign): { random: string; bts: string } {
  return {
    random: join(dir, 'random', campaign, `${campaign}.csv`),
    bts: join(dir, 'bts', campaign, `${campaign}.csv`),
  };
}
