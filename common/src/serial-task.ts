/**
 * Runs an async job one at a time: a request while it runs makes it run once more afterwards, so
 * bursts of changes collapse into at most one extra run and two runs never overlap.
 */
export class SerialTask {
  private running = false;
  private again = false;

  constructor(
    private readonly job: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.job();
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
    this.running = false;
  }
}
