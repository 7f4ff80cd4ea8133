import { classifySource } from './classify-source.js';

describe('classifySource', () => {
  it('probes media containers, whatever was declared', () => {
    expect(classifySource('video', 100, 'isobmff')).toEqual({ action: 'probe' });
    expect(classifySource('other', 100, 'matroska')).toEqual({ action: 'probe' });
    expect(classifySource('image', 100, 'jpeg')).toEqual({ action: 'probe' });
  });

  it('fails announced media that is empty (CORRUPT_MEDIA) or not media (UNSUPPORTED_MEDIA)', () => {
    expect(classifySource('video', 0, null)).toMatchObject({ action: 'fail', code: 'CORRUPT_MEDIA' });
    expect(classifySource('video', 0, 'isobmff')).toMatchObject({ action: 'fail', code: 'CORRUPT_MEDIA' });
    expect(classifySource('video', 34, null)).toMatchObject({
      action: 'fail',
      code: 'UNSUPPORTED_MEDIA',
      message: expect.stringContaining('no format'),
    });
    expect(classifySource('audio', 900, 'pdf')).toMatchObject({
      action: 'fail',
      code: 'UNSUPPORTED_MEDIA',
      message: expect.stringContaining('PDF'),
    });
  });

  it('stores anything else without renditions (a PDF as a document)', () => {
    expect(classifySource('document', 900, 'pdf')).toEqual({ action: 'store', kind: 'document' });
    expect(classifySource('other', 900, 'pdf')).toEqual({ action: 'store', kind: 'document' });
    expect(classifySource('other', 12, null)).toEqual({ action: 'store', kind: 'other' });
    expect(classifySource('other', 0, null)).toEqual({ action: 'store', kind: 'other' });
  });
});
