import { StreamGarbage, youngGenerationGc } from './stream-garbage.js';

describe('StreamGarbage', () => {
  it('collects once per interval of bytes consumed, however the chunks fall', () => {
    let collections = 0;
    const garbage = new StreamGarbage(() => (collections += 1), 100);
    for (let i = 0; i < 9; i += 1) garbage.consumed(10); // 90 bytes
    expect(collections).toBe(0);
    garbage.consumed(10); // 100
    expect(collections).toBe(1);
    garbage.consumed(250); // one big chunk: one collection, the count starts again
    expect(collections).toBe(2);
    garbage.consumed(99);
    expect(collections).toBe(2);
  });

  it('does nothing where no collector is available', () => {
    expect(() => new StreamGarbage(null, 1).consumed(10)).not.toThrow();
    expect(() => new StreamGarbage(null, 0)).toThrow(RangeError);
  });

  it("obtains V8's young-generation gc at run time, once", () => {
    const gc = youngGenerationGc();
    expect(gc).toBeInstanceOf(Function);
    expect(() => gc!()).not.toThrow();
    expect(youngGenerationGc()).toBe(gc);
  });
});
