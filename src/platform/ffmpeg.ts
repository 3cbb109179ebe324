import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Where the ffmpeg and ffprobe binaries are: FFMPEG_PATH / FFPROBE_PATH when set, else the system's
 * (Debian's `ffmpeg`, which `.ci/run` installs where missing), else the static builds the optional
 * npm packages `@ffmpeg-installer/ffmpeg` and `@ffprobe-installer/ffprobe` ship. Undefined when none
 * runs: callers then say that video needs ffmpeg (a 503 on upload, a skipped demo video in the seed).
 */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

const require = createRequire(import.meta.url);
let found: MediaTools | null | undefined;

function runs(binary: string): boolean {
  try {
    execFileSync(binary, ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

function packaged(name: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | undefined {
  try {
    return (require(name) as { path: string }).path;
  } catch {
    return undefined;
  }
}

function locate(env: NodeJS.ProcessEnv, tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  const fromEnv = env[tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'];
  const candidates = [
    fromEnv,
    tool,
    packaged(tool === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe'),
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && runs(c));
}

/** The media tools of this machine, looked up once per process; null when ffmpeg or ffprobe is missing. */
export function mediaTools(env: NodeJS.ProcessEnv = process.env): MediaTools | null {
  if (found !== undefined) return found;
  const ffmpeg = locate(env, 'ffmpeg');
  const ffprobe = locate(env, 'ffprobe');
  found = ffmpeg && ffprobe ? { ffmpeg, ffprobe } : null;
  return found;
}
