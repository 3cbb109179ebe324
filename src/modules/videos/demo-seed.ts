import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type MediaTools, mediaTools } from '../../platform/ffmpeg.ts';
import type { SeedContext } from '../../seed/extensions.ts';
import type { VideoKind } from './service.ts';

const run = promisify(execFile);

/** A font with Chinese glyphs (fontconfig's answer for Noto Sans CJK SC), or null: then ASCII text. */
export function cjkFont(): string | null {
  try {
    const out = execFileSync('fc-match', ['Noto Sans CJK SC', '--format=%{file}\n%{family}'], {
      encoding: 'utf8',
      timeout: 5_000,
    });
    const [file = '', family = ''] = out.split('\n');
    return /CJK|Hei|Song|WenQuanYi|Droid Sans Fallback/i.test(family) && file !== '' ? file : null;
  } catch {
    return null;
  }
}

/**
 * A short demo clip: a moving test pattern, 360×640 (vertical), `seconds` long, the lines burned in
 * (drawtext reads them from a file, so no text needs escaping). H.264 MP4, ultrafast: well under a second.
 */
export async function makeDemoClip(
  tools: MediaTools,
  out: string,
  lines: string[],
  seconds = 3,
  font: string | null = cjkFont(),
): Promise<void> {
  const textFile = `${out}.txt`;
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, '').trim();
  const text = font ? lines : lines.map(ascii).map((l, i) => l || (i === 0 ? 'Gravity demo' : ''));
  await fs.writeFile(textFile, text.join('\n'));
  const fontOpt = font ? `fontfile='${font}':` : '';
  try {
    await run(
      tools.ffmpeg,
      [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=360x640:rate=15:duration=${seconds}`,
        '-vf',
        `drawtext=${fontOpt}textfile='${textFile}':fontsize=30:fontcolor=white:line_spacing=12:box=1:boxcolor=black@0.55:boxborderw=14:x=(w-tw)/2:y=h*0.58`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-crf',
        '32',
        '-pix_fmt',
        'yuv420p',
        '-movflags',
        '+faststart',
        out,
      ],
      { timeout: 60_000 },
    );
  } finally {
    await fs.rm(textFile, { force: true });
  }
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * Demo short videos: three seeding clips (种草) of the first products of the first three stores, and one
 * reservation clip (直播预约) for the first store's scheduled live session when the live module seeded one
 * (else a fourth seeding clip). Each is a 3-second moving pattern with the product's name and price burned
 * in, published through `importFile`. Skipped without ffmpeg, or when the seed is told not to (tests).
 */
export async function seedVideosDemo(ctx: SeedContext): Promise<void> {
  const tools = mediaTools();
  if (!ctx.videos || !tools) return;
  const { catalog, videos, live } = ctx.services;
  const stores = ctx.data.merchants.slice(0, 3);
  const firstOf = (storeId: string) => ctx.data.products.find((p) => p.storeId === storeId);
  const first = stores[0];
  const session = first
    ? (await live.listStoreSessions(first.storeId)).find((s) => s.status === 'scheduled')
    : undefined;
  const plan: Array<{ storeId: string; productId: string; kind: VideoKind; sessionId: string | null }> = [];
  for (const store of stores) {
    const p = firstOf(store.storeId);
    if (p) plan.push({ storeId: store.storeId, productId: p.id, kind: 'seeding', sessionId: null });
  }
  if (first) {
    const p = ctx.data.products.filter((x) => x.storeId === first.storeId)[1] ?? firstOf(first.storeId);
    if (p)
      plan.push({
        storeId: first.storeId,
        productId: p.id,
        kind: session ? 'reservation' : 'seeding',
        sessionId: session?.id ?? null,
      });
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gravity-demo-videos-'));
  const font = cjkFont();
  try {
    for (const [i, item] of plan.entries()) {
      ctx.tick(`video ${i + 1}/${plan.length}`);
      const detail = await catalog.productDetail(item.productId);
      const price = Math.min(...detail.skus.map((s) => s.priceFen));
      const file = path.join(dir, `demo-${i}.mp4`);
      const lines =
        item.kind === 'reservation' && session
          ? ['直播预约', session.title.slice(0, 10), detail.title.slice(0, 10), yuan(price)]
          : [detail.title.slice(0, 10), `到手 ${yuan(price)}`];
      await makeDemoClip(tools, file, lines, 3, font);
      ctx.clock.set(new Date(ctx.now.getTime() - (plan.length - i) * 3_600_000));
      await videos.importFile({
        storeId: item.storeId,
        kind: item.kind,
        title: (item.kind === 'reservation' && session
          ? `直播预约 · ${session.title}`
          : `种草 · ${detail.title}`
        ).slice(0, 60),
        filePath: file,
        productIds: [item.productId],
        liveSessionId: item.sessionId,
      });
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
