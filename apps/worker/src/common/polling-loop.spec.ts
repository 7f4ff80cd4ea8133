import { PollingLoop } from './polling-loop.js';

describe('PollingLoop', () => {
  it('runs passes one after another, keeps going after a failure, and stops after the pass in flight', async () => {
    const seen: string[] = [];
    let n = 0;
    const errors: string[] = [];
    const loop = new PollingLoop(
      async () => {
        n += 1;
        seen.push(`start ${n}`);
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`end ${n}`);
        if (n === 2) throw new Error('boom');
      },
      1,
      (error) => errors.push(error.message),
    );
    loop.start(0);
    // until three passes ran (a loaded machine may take a while; no fixed sleep)
    for (const deadline = Date.now() + 10_000; n < 3 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 5));
    await loop.stop();
    const passes = n;
    await new Promise((r) => setTimeout(r, 30));
    expect(n).toBe(passes); // nothing after stop
    expect(passes).toBeGreaterThanOrEqual(3);
    expect(errors).toEqual(['boom']);
    // never overlapping: every start is followed by its own end
    for (let i = 1; i <= passes; i++) expect(seen.indexOf(`end ${i}`)).toBe(seen.indexOf(`start ${i}`) + 1);
  });
});
