import { BanditLogError, type Campaign, campaignLogFiles, readBanditLog } from './bandit-log-csv.ts';
import { DEFAULT_OPE_OPTIONS, evaluateCampaign } from './evaluate-campaign.ts';
import { formatOpeReport, opeJson } from './ope-report.ts';

export const TRAFFIC_USAGE = `usage: gravity traffic ope --data DIR --campaign men|women [--json] [--seed N] [--resamples N]
  DIR laid out as the Open Bandit Dataset's obd/ folder: random/<campaign>/<campaign>.csv and
  bts/<campaign>/<campaign>.csv (columns used: timestamp, item_id, position, click,
  propensity_score, user-item_affinity_0…N)`;

class UsageError extends Error {}

function parseOpeArgs(args: string[]) {
  let data: string | undefined;
  let campaign: Campaign | undefined;
  let json = false;
  let seed = DEFAULT_OPE_OPTIONS.seed;
  let resamples = DEFAULT_OPE_OPTIONS.resamples;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const count = (v: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${a} must be an integer ≥ ${min}`);
      return n;
    };
    if (a === '--data') data = value();
    else if (a === '--campaign') {
      const c = value();
      if (c !== 'men' && c !== 'women') throw new UsageError('--campaign must be men or women');
      campaign = c;
    } else if (a === '--json') json = true;
    else if (a === '--seed') seed = count(value(), 0);
    else if (a === '--resamples') resamples = count(value(), 100);
    else throw new UsageError(`unknown argument: ${a}`);
  }
  if (!data) throw new UsageError('--data DIR is required');
  if (!campaign) throw new UsageError('--campaign men|women is required');
  return { data, campaign, json, seed, resamples };
}

/** `gravity traffic …`: today only `ope`. Exit 0 done, 1 data error, 2 usage. */
export async function runTrafficCommand(argv: string[]): Promise<number> {
  const [sub, ...args] = argv;
  if (sub !== 'ope') {
    console.error(TRAFFIC_USAGE);
    return 2;
  }
  let parsed: ReturnType<typeof parseOpeArgs>;
  try {
    parsed = parseOpeArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n${TRAFFIC_USAGE}`);
    return 2;
  }
  const files = campaignLogFiles(parsed.data, parsed.campaign);
  try {
    const random = readBanditLog(files.random);
    const bts = readBanditLog(files.bts);
    const report = evaluateCampaign(random, bts, {
      seed: parsed.seed,
      resamples: parsed.resamples,
      trainShare: DEFAULT_OPE_OPTIONS.trainShare,
      fitShare: DEFAULT_OPE_OPTIONS.fitShare,
    });
    for (const line of formatOpeReport(report, parsed.campaign, files)) console.log(line);
    if (parsed.json) console.log(JSON.stringify(opeJson(report)));
    return 0;
  } catch (err) {
    if (!(err instanceof BanditLogError)) throw err;
    console.error(`gravity traffic ope: ${err.message}`);
    return 1;
  }
}
