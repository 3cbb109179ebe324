import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createProgress } from '../../platform/progress.ts';
import { loadAnsurDir, resolveAnsurDir } from './ansur-csv.ts';
import { simulateFitData } from './fit-simulate.ts';

const write = (file: string, lines: string[]) => {
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(text) : text);
};

/** `gravity sizing simulate --out FILE [--items FILE] [--records N] [--seed S] [--ansur DIR]` */
export async function runSimulate(flags: Record<string, string | boolean>): Promise<number> {
  if (typeof flags.out !== 'string') {
    console.error('simulate needs --out FILE');
    return 2;
  }
  const records = flags.records ? Number(flags.records) : 20_000;
  const seed = flags.seed ? Number(flags.seed) : 42;
  if (!Number.isInteger(records) || records <= 0 || !Number.isFinite(seed)) {
    console.error('--records must be a positive integer and --seed a number');
    return 2;
  }
  const subjects = loadAnsurDir(resolveAnsurDir(flags.ansur as string | undefined));
  const bar = createProgress('simulate', records);
  const { lines, itemLines } = simulateFitData(subjects, { records, seed, onProgress: (d) => bar.update(d) });
  bar.stop();
  write(flags.out, lines);
  if (typeof flags.items === 'string') write(flags.items, itemLines);
  console.log(
    `wrote ${lines.length} records to ${flags.out}${typeof flags.items === 'string' ? ` and ${itemLines.length} items to ${flags.items}` : ''}`,
  );
  return 0;
}
