const WIDTH = 24;
/** Without a terminal (CI logs), one line every few seconds instead of redrawing. */
const PLAIN_INTERVAL_MS = 5000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A progress bar on one redrawn line; the bench shows one per scenario. */
export class Progress {
  private lastPlain = 0;
  private active = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(label: string, done: number, total: number, detail = ''): void {
    const ratio = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(ratio * WIDTH);
    const line = `${label.padEnd(13)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${fmt(done)}/${fmt(total)} ${detail}`;
    if (this.out.isTTY) {
      // Pad to the terminal width so a shorter line fully covers the previous one (0 columns: unknown).
      const columns = (this.out.columns || 120) - 1;
      this.out.write(`\r${line.slice(0, columns).padEnd(columns)}`);
      this.active = true;
    } else if (Date.now() - this.lastPlain >= PLAIN_INTERVAL_MS || ratio >= 1) {
      this.out.write(`${line}\n`);
      this.lastPlain = Date.now();
    }
  }

  /** Ends the redrawn line so the next output starts on its own line. */
  finish(): void {
    if (this.active) this.out.write('\n');
    this.active = false;
    this.lastPlain = 0;
  }

  log(message: string): void {
    this.finish();
    this.out.write(`${message}\n`);
  }
}
