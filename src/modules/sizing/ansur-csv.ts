import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Measurements we estimate (cm). The first five are the ones the size assistant scores. */
export const BODY_ZONES = ['chest', 'waist', 'hip', 'shoulder', 'inseam', 'neck', 'sleeve', 'thigh'] as const;
export type BodyZone = (typeof BODY_ZONES)[number];
export const CORE_ZONES = ['chest', 'waist', 'hip', 'shoulder', 'inseam'] as const;

export const ANSUR_COLUMNS: Record<BodyZone, string> = {
  chest: 'chestcircumference',
  waist: 'waistcircumference',
  hip: 'buttockcircumference',
  shoulder: 'biacromialbreadth',
  inseam: 'crotchheight',
  neck: 'neckcircumference',
  sleeve: 'sleeveoutseam',
  thigh: 'thighcircumference',
};

export type Sex = 'female' | 'male';

/** One surveyed subject: self-reported answers plus measured targets in cm. */
export interface AnsurSubject {
  id: string;
  sex: Sex;
  /** Self-reported height (Heightin × 2.54). */
  heightCm: number;
  /** Self-reported weight (Weightlbs × 0.45359237); 0 when not reported. */
  weightKg: number;
  age: number;
  measuredStatureCm: number;
  measuredWeightKg: number;
  body: Record<BodyZone, number>;
}

export const ANSUR_FILES: Record<Sex, string> = {
  male: 'ANSUR_II_MALE_Public.csv',
  female: 'ANSUR_II_FEMALE_Public.csv',
};

function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses one ANSUR II public CSV text (Latin-1 decoded, CRLF or LF). */
export function parseAnsurCsv(text: string, fallbackSex: Sex): AnsurSubject[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = splitCsvLine(lines[0]).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name.toLowerCase());
  const idCol = col('subjectid');
  const ix = {
    heightin: col('heightin'),
    weightlbs: col('weightlbs'),
    age: col('age'),
    gender: col('gender'),
    stature: col('stature'),
    weightkg: col('weightkg'),
  };
  const zoneCols = Object.fromEntries(BODY_ZONES.map((z) => [z, col(ANSUR_COLUMNS[z])])) as Record<
    BodyZone,
    number
  >;
  const num = (cells: string[], i: number) => (i < 0 ? Number.NaN : Number(cells[i]));
  const out: AnsurSubject[] = [];
  for (let r = 1; r < lines.length; r++) {
    const cells = splitCsvLine(lines[r]);
    const gender = ix.gender >= 0 ? cells[ix.gender]?.trim().toLowerCase() : '';
    const sex: Sex = gender === 'female' ? 'female' : gender === 'male' ? 'male' : fallbackSex;
    const body = {} as Record<BodyZone, number>;
    for (const z of BODY_ZONES) body[z] = num(cells, zoneCols[z]) / 10;
    const w = num(cells, ix.weightlbs);
    out.push({
      id: idCol >= 0 ? cells[idCol] : String(r),
      sex,
      heightCm: num(cells, ix.heightin) * 2.54,
      weightKg: Number.isFinite(w) ? w * 0.45359237 : 0,
      age: num(cells, ix.age),
      measuredStatureCm: num(cells, ix.stature) / 10,
      measuredWeightKg: num(cells, ix.weightkg) / 10,
      body,
    });
  }
  return out;
}

/** Loads both files of an ANSUR-format folder. */
export function loadAnsurDir(dir: string): AnsurSubject[] {
  const all: AnsurSubject[] = [];
  for (const sex of ['male', 'female'] as const) {
    const text = readFileSync(join(dir, ANSUR_FILES[sex]), 'latin1');
    all.push(...parseAnsurCsv(text, sex));
  }
  return all;
}

/**
 * The ANSUR II folder: `--ansur DIR`, else `$ANSUR_DIR`, else a `shared/data/ansur2` folder beside
 * the checkout (the layout the project is developed in). docs/SIZE-ASSISTANT.md says where to get it.
 */
export function resolveAnsurDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = explicit ?? env.ANSUR_DIR;
  const candidates = given ? [given] : [resolve('../shared/data/ansur2'), '/work/shared/data/ansur2'];
  for (const c of candidates) if (existsSync(join(c, ANSUR_FILES.male))) return c;
  throw new Error(
    `no ANSUR II files (${ANSUR_FILES.male}, ${ANSUR_FILES.female}) in ${candidates.join(' or ')}: ` +
      'pass --ansur DIR or set ANSUR_DIR (docs/SIZE-ASSISTANT.md says where to download them)',
  );
}
