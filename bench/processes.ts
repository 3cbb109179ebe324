import { freePort, type ServerProcess, startServer } from '../test/support/server-process.ts';

/**
 * What the bench starts: `api` (HTTP only), `worker` (background tasks), `sandbox-provider` (the
 * payment provider with its own HTTP API and webhooks), or `start` (all of it in one process).
 */
export type Role = 'api' | 'worker' | 'sandbox-provider' | 'start';

export interface Processes {
  /** Where the API answers. */
  apiUrl: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the given roles against one database, at once. With a `sandbox-provider`, the API and the
 * worker call it over HTTP (PAYMENT_PROVIDER_URL) and it posts its webhooks to the API (PUBLIC_URL).
 * `profileDir`: the API process runs with --cpu-prof, its profile written there when it exits.
 */
export async function startProcesses(
  roles: Role[],
  env: Record<string, string>,
  options: { profileDir?: string } = {},
): Promise<Processes> {
  const apiPort = String(await freePort());
  const providerPort = String(await freePort());
  const workerPort = String(await freePort());
  const shared: Record<string, string> = { ...env, PUBLIC_URL: `http://127.0.0.1:${apiPort}` };
  if (roles.includes('sandbox-provider')) shared.PAYMENT_PROVIDER_URL = `http://127.0.0.1:${providerPort}`;
  const envOf = (role: Role): Record<string, string> =>
    role === 'sandbox-provider'
      ? { ...shared, SANDBOX_PROVIDER_PORT: providerPort }
      : role === 'worker'
        ? { ...shared, WORKER_PORT: workerPort }
        : { ...shared, PORT: apiPort };
  const saved = process.env.SERVER_NODE_ARGS;
  const starting = roles.map((role) => {
    // startServer reads SERVER_NODE_ARGS when it spawns, synchronously at its start.
    const profiled = options.profileDir && (role === 'api' || role === 'start');
    if (profiled) process.env.SERVER_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${options.profileDir}`;
    else if (saved === undefined) delete process.env.SERVER_NODE_ARGS;
    else process.env.SERVER_NODE_ARGS = saved;
    return startServer(envOf(role), { command: role });
  });
  if (saved === undefined) delete process.env.SERVER_NODE_ARGS;
  else process.env.SERVER_NODE_ARGS = saved;
  const settled = await Promise.allSettled(starting);
  const started = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    await Promise.all(started.map((p: ServerProcess) => p.kill(signal)));
  };
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) {
    await stop('SIGKILL');
    throw (failed as PromiseRejectedResult).reason;
  }
  return { apiUrl: `http://127.0.0.1:${apiPort}`, stop };
}
