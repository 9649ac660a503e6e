/**
 * Converts virtual time to the wall-clock strings objects carry. Virtual time 0 is the scenario's startTime, so
 * creationTimestamp, renewTime and event times read like a real cluster's and stay identical across runs.
 */
export class ApiClock {
  // Many writes share one instant: remember the last formatted instant of each precision.
  private lastMs = NaN;
  private lastTime = "";
  private lastSecond = NaN;
  private lastSecondText = "";

  /** @param startTime epoch ms of virtual time 0. @param now reads the current virtual time (ms). */
  constructor(readonly startTime: number, private readonly now: () => number) {}

  /** Current virtual time (ms since startTime). */
  get ms(): number {
    return this.now();
  }

  /** RFC 3339 with second precision, as metav1.Time serialises ("2026-01-01T00:05:00Z"). */
  time(ms: number = this.now()): string {
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastTime = new Date(this.startTime + ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    return this.lastTime;
  }

  /** RFC 3339 with microsecond precision, as metav1.MicroTime serialises (lease renewTime, event eventTime). */
  microTime(ms: number = this.now()): string {
    // Heartbeats land on every millisecond: format the second once, then append the milliseconds.
    const abs = this.startTime + ms;
    const sec = Math.floor(abs / 1000);
    if (sec !== this.lastSecond) {
      this.lastSecond = sec;
      this.lastSecondText = new Date(sec * 1000).toISOString().slice(0, 19);
    }
    const milli = abs - sec * 1000;
    return `${this.lastSecondText}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}000Z`;
  }

  /** Parses a timestamp written by this clock back to virtual ms. */
  parse(ts: string): number {
    return Date.parse(ts) - this.startTime;
  }
}
