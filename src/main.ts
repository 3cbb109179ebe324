import { runCommand } from './cli.ts';
import { ConfigError } from './platform/config-check.ts';

try {
  process.exitCode = await runCommand(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`gravity: ${err.message}`);
  process.exitCode = 1;
}
