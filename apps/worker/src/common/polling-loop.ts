/**
 * Runs `pass` again `intervalMs` after each run ends (never two at once), logging failures and
 * carrying on; `stop()` waits for the pass in flight. The worker's background loops (outbox relay,
 * stuck-media reconciler) are these.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {}

  start(firstDelayMs = this.intervalMs): void {
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass()
        .catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))))
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }
}
