import { type ServerProcess, startServer } from '../test/support/server-process.ts';

/** What the bench starts: `start` = API + background work + in-process sandbox, one process. */
export type Role = 'api' | 'worker' | 'sandbox-provider' | 'start';

export interface Processes {
  /** Where the API answers. */
  apiUrl: string;
  /** What was started, e.g. "gravity start" (when a role fell back to it). */
  described: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the given roles against one database. Until `gravity api|worker|sandbox-provider` exist,
 * every set of roles runs as one `gravity start` process (said in `described`).
 * `profileDir`: the API process runs with --cpu-prof, its profile written there when it exits.
 */
export async function startProcesses(
  roles: Role[],
  env: Record<string, string>,
  options: { profileDir?: string } = {},
): Promise<Processes> {
  const started: ServerProcess[] = [];
  const saved = process.env.SERVER_NODE_ARGS;
  if (options.profileDir) process.env.SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${options.profileDir}`;
  try {
    started.push(await startServer(env));
  } finally {
    if (options.profileDir) {
      if (saved === undefined) delete process.env.SERVER_NODE_ARGS;
      else process.env.SERVER_NODE_ARGS = saved;
    }
  }
  const api = started[0] as ServerProcess;
  return {
    apiUrl: api.url,
    described: roles.length === 1 && roles[0] === 'start' ? 'gravity start' : 'gravity start (fallback)',
    stop: async (signal = 'SIGTERM') => {
      for (const p of started) await p.kill(signal);
    },
  };
}
