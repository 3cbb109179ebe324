import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/** Fonts for the burned-in text, CJK first (product names are Chinese); the first present wins. */
const FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
];

export function demoFont(): string | undefined {
  return FONTS.find((f) => fs.existsSync(f));
}

/** drawtext's own escaping for a path inside a filter argument. */
function filterPath(p: string): string {
  return p.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/'/g, "\\'");
}

/**
 * ffmpeg's arguments for a live test pattern (moving colour bars, a 440 Hz tone, the clock and the
 * text of `textFile`, re-read every frame) as H.264/AAC FLV pushed in real time to `publishUrl`.
 * `seconds` bounds it (tests); without it, it runs until stopped.
 */
export function testPatternArgs(opts: {
  publishUrl: string;
  textFile?: string;
  font?: string;
  seconds?: number;
  size?: string;
}): string[] {
  const font = opts.font ? `fontfile='${filterPath(opts.font)}':` : '';
  const filters = [
    `drawtext=${font}text='%{localtime\\:%H\\\\\\:%M\\\\\\:%S}':x=20:y=20:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.5`,
  ];
  if (opts.textFile)
    filters.push(
      `drawtext=${font}textfile='${filterPath(opts.textFile)}':reload=1:x=20:y=h-th-30:fontsize=32:fontcolor=yellow:box=1:boxcolor=black@0.6:boxborderw=8`,
    );
  const duration = opts.seconds ? ['-t', String(opts.seconds)] : [];
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${opts.size ?? '640x360'}:rate=25`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    ...duration,
    '-vf',
    filters.join(','),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-tune',
    'zerolatency',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-b:v',
    '800k',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-f',
    'flv',
    opts.publishUrl,
  ];
}

/** Starts ffmpeg pushing the test pattern; the caller stops it (`kill('SIGINT')`). */
export function pushTestPattern(ffmpeg: string, opts: Parameters<typeof testPatternArgs>[0]): ChildProcess {
  return spawn(ffmpeg, testPatternArgs(opts), { stdio: ['ignore', 'ignore', 'pipe'] });
}
