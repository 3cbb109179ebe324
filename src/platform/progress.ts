import cliProgress from 'cli-progress';

/** A progress bar on stderr (stdout stays clean for --json); plain lines every ~10% when not a TTY. */
export function createProgress(label: string, total: number) {
  if (!process.stderr.isTTY) {
    let shown = -1;
    return {
      update: (value: number, task = '') => {
        const decile = Math.floor((value / Math.max(total, 1)) * 10);
        if (decile === shown) return;
        shown = decile;
        process.stderr.write(`${label}: ${value}/${total}${task ? ` ${task}` : ''}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% {value}/{total} {task}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { task: '' });
  return {
    update: (value: number, task = '') => bar.update(value, { task }),
    stop: () => bar.stop(),
  };
}
