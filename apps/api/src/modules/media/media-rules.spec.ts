import { hasStoredSource, mayDeleteObjects, renditionFilename } from './media-rules.js';

describe('media rules', () => {
  it('deletes objects in hosted storage always, in a studio bucket only when it opted in', () => {
    expect(mayDeleteObjects('hosted', false)).toBe(true);
    expect(mayDeleteObjects('isolated', false)).toBe(false);
    expect(mayDeleteObjects('isolated', true)).toBe(true);
  });

  it('links a source once the upload completed', () => {
    expect(['uploading', 'uploaded', 'transcoding', 'ready', 'failed', 'deleted'].filter((s) => hasStoredSource(s as never))).toEqual([
      'uploaded',
      'transcoding',
      'ready',
    ]);
  });

  it('names rendition downloads after the media', () => {
    expect(renditionFilename('Interview.mov', 'proxy', 'p/media/id/renditions/720p.mp4')).toBe('Interview.proxy.mp4');
    expect(renditionFilename('notes', 'thumbnail', 'p/media/id/renditions/thumb')).toBe('notes.thumbnail');
  });
});
