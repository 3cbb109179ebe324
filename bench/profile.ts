import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The group a function's self time is counted in, from where it is defined. */
export function groupOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (
    /node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-[a-z]+|pg-connection-string)\//.test(url)
  )
    return 'pg protocol (pg, pg-protocol, pg-types)';
  if (/node_modules\/kysely\//.test(url)) return 'Kysely';
  if (
    /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|ajv[^/]*|fast-uri|toad-cache|process-warning|abstract-logging|fastify-type-provider-zod)\//.test(
      url,
    )
  )
    return 'fastify (+ router, serializers, plugins)';
  if (
    /node_modules\/(pino|pino-[a-z-]+|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|on-exit-leak-free|atomic-sleep|safe-stable-stringify)\//.test(
      url,
    )
  )
    return 'logging (pino, sonic-boom)';
  if (/node_modules\/zod/.test(url)) return 'zod (validation)';
  if (/node_modules\//.test(url)) return 'other packages';
  if (/\/(src|bench)\//.test(url)) return 'project code (src/)';
  if (
    /node:internal\/(stream_base_commons|net)|^node:net/.test(url) ||
    /^(writev|writeGeneric|writeBuffer|writeUtf8String|writeLatin1String|onStreamRead)$/.test(functionName)
  )
    return 'socket writes/reads (net, stream_base)';
  if (
    /node:internal\/(http|_http|http_parser)|node:_http|^node:http/.test(url) ||
    functionName === 'parserOnHeadersComplete'
  )
    return 'node http';
  if (url.startsWith('node:')) return 'node internals (other)';
  if (!url && frame.lineNumber > 0) return 'generated code (new Function: serializers, validators)';
  return 'V8/native (program, builtins, JSON, crypto…)';
}

/**
 * Self time of the profile(s) written to `dir`, by group and the top functions: a few lines of text.
 * Idle time is left out of the percentages (they are of the time the process was busy).
 */
export function summarizeProfile(dir: string, windowUs?: [number, number], top = 15): string {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return `  (no .cpuprofile in ${dir}: the API process did not exit cleanly)`;
  const selfUs = new Map<number, number>();
  const frames = new Map<string, { frame: ProfileNode['callFrame']; us: number }>();
  const groups = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const file of files) {
    const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    selfUs.clear();
    const samples = prof.samples ?? [];
    const deltas = prof.timeDeltas ?? [];
    let t = prof.startTime;
    for (let i = 0; i < samples.length; i++) {
      t += deltas[i] ?? 0;
      // Only the measured load: startup (module loading, tsx) and warm-up are left out.
      if (windowUs && (t < windowUs[0] || t > windowUs[1])) continue;
      const id = samples[i] as number;
      // timeDeltas[i] is the time before sample i; attribute the next delta to this sample.
      const us = Math.max(0, deltas[i + 1] ?? deltas[i] ?? 0);
      selfUs.set(id, (selfUs.get(id) ?? 0) + us);
    }
    for (const [id, us] of selfUs) {
      const node = byId.get(id);
      if (!node) continue;
      const { frame } = { frame: node.callFrame };
      if (frame.functionName === '(idle)' || frame.functionName === '(root)') {
        idle += us;
        continue;
      }
      busy += us;
      const group = groupOf(frame);
      groups.set(group, (groups.get(group) ?? 0) + us);
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
      const f = frames.get(key) ?? { frame, us: 0 };
      f.us += us;
      frames.set(key, f);
    }
  }
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)}%`;
  const lines = [
    `  CPU profile of the API process during the measured checkout-only load (self time; ${((busy + idle) / 1e6).toFixed(1)} s sampled, ${((100 * idle) / Math.max(1, busy + idle)).toFixed(0)}% idle; % of busy time):`,
    ...[...groups].sort((a, b) => b[1] - a[1]).map(([g, us]) => `    ${pct(us)}  ${g}`),
    `  top ${top} functions by self time:`,
    ...[...frames]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([k, f]) => `    ${pct(f.us)}  ${k}  [${groupOf(f.frame)}]`),
  ];
  return lines.join('\n');
}
