/**
 * A transcode job's progress as one percentage (pure arithmetic; the processor throttles writes).
 * Reading the source (hash) is the first 10 %; the planned steps share the rest by weight, each
 * step's share filled as it is reported (ffmpeg, then its upload). 100 % is only reported by the
 * outcome (media `ready`), so the bar never sits at 100 while the job is still recording.
 */
export const READ_SHARE = 10;
const MAX_REPORTED = 99;

export class JobProgress {
  private weights: number[] = [];
  private done: number[] = [];
  private lastReported = -1;

  constructor(private readonly report: (percent: number) => void) {}

  reading(fraction: number): void {
    this.emit(READ_SHARE * clamp(fraction));
  }

  /** The plan's step weights (call once the plan is known). */
  planned(weights: readonly number[]): void {
    this.weights = [...weights];
    this.done = weights.map(() => 0);
    this.emit(READ_SHARE);
  }

  /** Step `index` (0-based) is `fraction` done (0…1); a step never goes back. */
  step(index: number, fraction: number): void {
    const total = this.weights.reduce((sum, w) => sum + w, 0);
    if (total <= 0 || index < 0 || index >= this.done.length) return;
    this.done[index] = Math.max(this.done[index] ?? 0, clamp(fraction));
    const completed = this.weights.reduce((sum, w, i) => sum + w * (this.done[i] ?? 0), 0);
    this.emit(READ_SHARE + ((100 - READ_SHARE) * completed) / total);
  }

  private emit(value: number): void {
    const percent = Math.min(MAX_REPORTED, Math.floor(value));
    if (percent <= this.lastReported) return;
    this.lastReported = percent;
    this.report(percent);
  }
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}
