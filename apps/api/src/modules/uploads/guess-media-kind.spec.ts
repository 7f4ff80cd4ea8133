import { guessMediaKind } from './guess-media-kind.js';

describe('guessMediaKind', () => {
  it('trusts a specific content type', () => {
    expect(guessMediaKind('video/quicktime', 'clip.bin')).toBe('video');
    expect(guessMediaKind('image/png; charset=binary', 'x')).toBe('image');
    expect(guessMediaKind('audio/wav', 'x')).toBe('audio');
    expect(guessMediaKind('application/pdf', 'x')).toBe('document');
    expect(guessMediaKind('text/plain', 'x')).toBe('document');
  });

  it('falls back to the extension when the browser did not know the type', () => {
    expect(guessMediaKind('application/octet-stream', 'A001C003.MXF')).toBe('video');
    expect(guessMediaKind('application/octet-stream', 'IMG_0001.CR2')).toBe('image');
    expect(guessMediaKind('application/octet-stream', 'take.aiff')).toBe('audio');
    expect(guessMediaKind('application/octet-stream', 'notes')).toBe('other');
    expect(guessMediaKind('application/octet-stream', '.mp4')).toBe('other');
    expect(guessMediaKind('application/zip', 'assets.zip')).toBe('other');
  });
});
