import autocannon from 'autocannon';
import {
  type BodyAnswers,
  defaultCorrections,
  estimateBody,
  type ProductSizing,
  recommendSize,
  TYPICAL_CHARTS,
} from '../src/modules/sizing/index.ts';
import { Rng } from '../src/seed/prng.ts';
import { createScratchDatabase, scratchDir, startServer } from '../test/support/server-process.ts';

/**
 * `npm run bench:sizing`: size recommendations per second and their p99 latency in-process (the
 * function the product and the evaluation both call), then through the API beside the server's
 * own no-op route, measured in the same run. Last line: one JSON object.
 */

const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function randomAnswers(rng: Rng): BodyAnswers {
  const sex = rng.chance(0.5) ? 'female' : 'male';
  const heightCm = sex === 'female' ? rng.int(150, 180) : rng.int(160, 195);
  return {
    heightCm,
    weightKg: Math.round((heightCm / 100) ** 2 * rng.int(18, 32)),
    age: rng.int(18, 60),
    sex,
  };
}

function inProcess(): { recsPerSec: number; p50Ms: number; p99Ms: number; estimatePerSec: number } {
  const rng = new Rng(20261125);
  const bodies = Array.from({ length: 1000 }, () => randomAnswers(rng));
  const started = process.hrtime.bigint();
  const estimates = bodies.map((b) => estimateBody(b));
  const estimateSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const products: ProductSizing[] = Object.entries(TYPICAL_CHARTS).flatMap(([category, bySex], i) =>
    Object.values(bySex).map((chart, j) => ({
      productId: `p${i}-${j}`,
      brand: `brand${i % 3}`,
      category,
      fitType: (['slim', 'regular', 'loose'] as const)[(i + j) % 3],
      chart,
    })),
  );
  const corrections = defaultCorrections();
  // Warm up the JIT, then time every call.
  for (let i = 0; i < 5000; i++)
    recommendSize({
      body: estimates[i % 1000] as never,
      product: products[i % products.length] as ProductSizing,
      corrections,
    });
  const times = new Float64Array(CALLS);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) {
    const a = process.hrtime.bigint();
    recommendSize({
      body: estimates[i % 1000] as never,
      product: products[i % products.length] as ProductSizing,
      corrections,
    });
    times[i] = Number(process.hrtime.bigint() - a) / 1e6;
  }
  const total = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort();
  return {
    recsPerSec: CALLS / total,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    estimatePerSec: bodies.length / estimateSeconds,
  };
}

async function throughApi(
  kind: 'pglite' | 'postgres',
): Promise<{ apiPerSec: number; apiP99Ms: number; noopPerSec: number }> {
  process.stdout.write(`  ${kind}: starting a server with the demo data… `);
  const scratch = kind === 'postgres' ? await createScratchDatabase('gravity_bench_sizing') : undefined;
  // One client measures throughput here: lift the per-client limit (60 a minute by default).
  const unlimited = { SIZE_RECOMMEND_ANON_PER_MINUTE: '1000000000' };
  const server = await startServer(
    scratch
      ? { DATABASE_URL: scratch.url, ...unlimited }
      : { DATA_DIR: scratchDir('gravity-bench-sizing'), ...unlimited },
    180_000,
  );
  try {
    const list = await (await fetch(`${server.url}/api/v1/products?categoryId=women&pageSize=1`)).json();
    const productId = list.items?.[0]?.id as string | undefined;
    if (!productId) throw new Error('no apparel product in the demo data');
    const body = JSON.stringify({
      productId,
      answers: { heightCm: 165, weightKg: 55, age: 28, sex: 'female' },
    });
    const probe = await fetch(`${server.url}/api/v1/size/recommend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (probe.status !== 200) throw new Error(`recommend answered ${probe.status}: ${await probe.text()}`);
    console.log('ready');
    const noop = await autocannon({
      url: `${server.url}/api/noop`,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    const api = await autocannon({
      url: `${server.url}/api/v1/size/recommend`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    if (api.non2xx > 0) throw new Error(`${api.non2xx} recommend requests failed`);
    return { apiPerSec: api.requests.average, apiP99Ms: api.latency.p99, noopPerSec: noop.requests.average };
  } finally {
    await server.kill();
    await scratch?.drop();
  }
}

export async function main(): Promise<number> {
  console.log(
    `Size recommendation benchmark — ${CALLS} in-process calls; API for ${SECONDS}s at ${CONNECTIONS} connections`,
  );
  const local = inProcess();
  console.log(
    `  in-process: ${Math.round(local.recsPerSec)} recommendations/s, p50 ${local.p50Ms.toFixed(4)} ms, p99 ${local.p99Ms.toFixed(4)} ms (goal ≤ 1 ms); body estimates ${Math.round(local.estimatePerSec)}/s`,
  );
  const runs = {
    pglite: await throughApi('pglite'),
    postgres: await throughApi('postgres'),
  };
  for (const [kind, api] of Object.entries(runs)) {
    console.log(
      `  API on ${kind}: ${Math.round(api.apiPerSec)} recommendations/s (p99 ${api.apiP99Ms} ms) vs no-op ${Math.round(api.noopPerSec)} req/s = ${(api.apiPerSec / api.noopPerSec).toFixed(3)}× of the no-op route`,
    );
  }
  // The headline API figures are the embedded database's, the default a merchant runs.
  const api = runs.pglite;
  console.log(
    JSON.stringify({
      recsPerSec: Math.round(local.recsPerSec),
      p99Ms: Number(local.p99Ms.toFixed(4)),
      apiPerSec: Math.round(api.apiPerSec),
      noopPerSec: Math.round(api.noopPerSec),
      postgres: {
        apiPerSec: Math.round(runs.postgres.apiPerSec),
        noopPerSec: Math.round(runs.postgres.noopPerSec),
      },
    }),
  );
  return 0;
}
