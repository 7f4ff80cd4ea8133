import { relocateKey } from './relocate-key.js';

const ID = '0b7f3c52-8d0e-4d8c-9a55-1f1f3c0e2a10';

describe('relocateKey', () => {
  it('keeps the path inside the media folder and swaps the target prefix', () => {
    expect(relocateKey(`tenants/harbor/media/${ID}/source/clip one.mp4`, 'tenants/harbor', 'isola', ID)).toBe(
      `isola/media/${ID}/source/clip one.mp4`,
    );
    expect(relocateKey(`tenants/harbor/media/${ID}/renditions/proxy.mp4`, 'tenants/harbor', '', ID)).toBe(
      `media/${ID}/renditions/proxy.mp4`,
    );
    expect(relocateKey(`media/${ID}/renditions/poster.jpg`, '', 'tenants/aurora', ID)).toBe(
      `tenants/aurora/media/${ID}/renditions/poster.jpg`,
    );
  });

  it('is its own inverse, so old keys can be recomputed from new ones', () => {
    const key = `a/b/media/${ID}/source/ünïcode ✓.mov`;
    expect(relocateKey(relocateKey(key, 'a/b', 'c', ID), 'c', 'a/b', ID)).toBe(key);
  });

  it('refuses keys outside the media’s folder of the old target', () => {
    expect(() => relocateKey(`other/media/${ID}/source/x.mp4`, 'tenants/harbor', 'isola', ID)).toThrow(RangeError);
    expect(() => relocateKey(`tenants/harbor/media/another-id/source/x.mp4`, 'tenants/harbor', 'isola', ID)).toThrow(RangeError);
    expect(() => relocateKey(`tenants/harbor/media/${ID}/`, 'tenants/harbor', 'isola', ID)).toThrow(RangeError);
  });
});
