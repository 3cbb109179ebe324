import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProgress } from '../../platform/progress.ts';
import { loadAnsurDir, resolveAnsurDir } from './ansur-csv.ts';
import { defaultBodyModel } from './body-estimate.ts';
import { evaluateBodyModel, formatBodyEvalTable } from './body-eval.ts';
import { trainBodyModel } from './body-train.ts';

export const SIZING_USAGE = `usage: gravity sizing <command>
  train [--ansur DIR] [--out FILE]            fit the body model on ANSUR-format files
  eval-body --ansur DIR [--json]                MAE per measurement vs. an in-sample least-squares baseline
  eval --fit-data FILE [--items FILE] [--json]  AUC of the learned fit model vs. chart-only on the test split
  simulate --out FILE [--items FILE] [--records N] [--seed S] [--ansur DIR]`;

export const BODY_MODEL_PATH = fileURLToPath(new URL('./model/body-model.json', import.meta.url));

class UsageError extends Error {}

function parseFlags(
  args: string[],
  known: Record<string, 'string' | 'boolean'>,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.startsWith('--') ? a.slice(2) : '';
    const kind = known[name];
    if (!kind) throw new UsageError(`unknown argument: ${a}`);
    if (kind === 'boolean') out[name] = true;
    else {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      out[name] = v;
    }
  }
  return out;
}

async function train(args: string[]): Promise<number> {
  const f = parseFlags(args, { ansur: 'string', out: 'string', seed: 'string' });
  const dir = resolveAnsurDir(f.ansur as string | undefined);
  const subjects = loadAnsurDir(dir);
  const bar = createProgress('train body model', 16);
  const model = trainBodyModel(subjects, {
    seed: f.seed ? Number(f.seed) : undefined,
    onProgress: (done, _total, label) => bar.update(done, label),
  });
  bar.stop();
  const out = (f.out as string | undefined) ?? BODY_MODEL_PATH;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(model)}\n`);
  console.log(`trained on ${subjects.length} subjects from ${dir}; wrote ${out}`);
  return 0;
}

async function evalBody(args: string[]): Promise<number> {
  const f = parseFlags(args, { ansur: 'string', json: 'boolean', model: 'string' });
  if (!f.ansur) throw new UsageError('eval-body needs --ansur DIR');
  const subjects = loadAnsurDir(f.ansur as string);
  const model = f.model
    ? JSON.parse((await import('node:fs')).readFileSync(f.model as string, 'utf8'))
    : defaultBodyModel();
  const result = evaluateBodyModel(model, subjects);
  console.log(formatBodyEvalTable(result));
  if (f.json) console.log(JSON.stringify(result));
  return 0;
}

/** Entry point for `gravity sizing …`; returns the process exit code. */
export async function runSizingCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'train':
        return await train(rest);
      case 'eval-body':
        return await evalBody(rest);
      case 'eval': {
        const { runFitEval } = await import('./fit-eval-command.ts');
        return await runFitEval(
          parseFlags(rest, { 'fit-data': 'string', items: 'string', json: 'boolean', seed: 'string' }),
        );
      }
      case 'simulate': {
        const { runSimulate } = await import('./fit-simulate-command.ts');
        return await runSimulate(
          parseFlags(rest, {
            out: 'string',
            items: 'string',
            records: 'string',
            seed: 'string',
            ansur: 'string',
          }),
        );
      }
      default:
        console.error(SIZING_USAGE);
        return 2;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${SIZING_USAGE}`);
      return 2;
    }
    throw err;
  }
}
