import { JobProgress } from './job-progress.js';

describe('JobProgress', () => {
  it('gives reading the first 10 %, shares the rest by step weight, and reports each whole percent once, rising', () => {
    const seen: number[] = [];
    const progress = new JobProgress((p) => seen.push(p));
    progress.reading(0.5);
    progress.reading(0.5);
    progress.reading(1);
    progress.planned([10, 30]);
    progress.step(0, 0.9); // 10 + 90 · 9/40
    progress.step(1, 0.5); // 10 + 90 · 24/40
    progress.step(1, 0.25); // a step never goes back
    progress.step(0, 1); // its upload: 10 + 90 · 25/40
    progress.step(1, 1);
    expect(seen).toEqual([5, 10, 30, 64, 66, 99]);
  });

  it('ignores steps before a plan or out of range, and clamps odd fractions', () => {
    const seen: number[] = [];
    const progress = new JobProgress((p) => seen.push(p));
    progress.step(0, 0.5);
    progress.reading(Number.NaN);
    progress.reading(7);
    progress.planned([1]);
    progress.step(3, 1);
    expect(seen).toEqual([0, 10]);
  });
});
