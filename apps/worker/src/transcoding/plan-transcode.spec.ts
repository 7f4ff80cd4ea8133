import type { AudioStreamInfo, MediaProbe, VideoStreamInfo } from './media-probe.js';
import { displaySize, fitWithin, isStillImageFormat, planTranscode } from './plan-transcode.js';

const MP4 = 'mov,mp4,m4a,3gp,3g2,mj2';

function video(overrides: Partial<VideoStreamInfo> = {}): VideoStreamInfo {
  return {
    index: 0,
    codec: 'h264',
    width: 640,
    height: 360,
    sampleAspect: { num: 1, den: 1 },
    rotation: 0,
    frameRate: 25,
    frameCount: 75,
    ...overrides,
  };
}
function audio(overrides: Partial<AudioStreamInfo> = {}): AudioStreamInfo {
  return { index: 1, codec: 'aac', channels: 2, sampleRate: 48000, ...overrides };
}
function probe(overrides: Partial<MediaProbe> = {}): MediaProbe {
  return { formatName: MP4, durationMs: 3000, video: video(), audio: audio(), hasCoverArt: false, exifOrientation: 1, ...overrides };
}

const stillOptions = (filters: string) => [
  '-map',
  '0:v:0',
  '-map_metadata',
  '-1',
  '-vf',
  filters,
  '-frames:v',
  '1',
  '-c:v',
  'mjpeg',
  '-q:v',
  '3',
  '-f',
  'image2',
];

describe('planTranscode', () => {
  it('plans a video: thumbnail, poster, H.264/AAC faststart proxy and a 10-frame filmstrip, with exact ffmpeg options', () => {
    const plan = planTranscode(probe());
    expect(plan).toMatchObject({ kind: 'video', width: 640, height: 360, durationMs: 3000 });
    // prettier-ignore
    expect(plan.steps).toEqual([
      {
        rendition: 'thumbnail',
        fileName: 'thumbnail.jpg',
        contentType: 'image/jpeg',
        inputOptions: ['-ss', '0.300'],
        outputOptions: stillOptions('scale=320:180,setsar=1'),
        upload: 'single',
        weight: 2,
        progressDurationMs: null,
      },
      {
        rendition: 'poster',
        fileName: 'poster.jpg',
        contentType: 'image/jpeg',
        inputOptions: ['-ss', '0.300'],
        outputOptions: stillOptions('scale=640:360,setsar=1'),
        upload: 'single',
        weight: 3,
        progressDurationMs: null,
      },
      {
        rendition: 'proxy',
        fileName: 'proxy.mp4',
        contentType: 'video/mp4',
        inputOptions: [],
        outputOptions: [
          '-map', '0:v:0', '-map', '0:a:0', '-map_metadata', '-1',
          '-vf', 'scale=640:360,setsar=1',
          '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'high', '-pix_fmt', 'yuv420p',
          '-c:a', 'aac', '-b:a', '128k',
          '-movflags', '+faststart', '-f', 'mp4',
        ],
        upload: 'multipart',
        weight: 60,
        progressDurationMs: 3000,
      },
      {
        rendition: 'filmstrip',
        fileName: 'filmstrip.jpg',
        contentType: 'image/jpeg',
        inputOptions: [],
        outputOptions: [
          '-map', '0:v:0', '-map_metadata', '-1',
          '-vf', 'fps=10000/3000,scale=160:90,setsar=1,tile=10x1',
          '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2',
        ],
        upload: 'single',
        weight: 20,
        progressDurationMs: null,
      },
    ]);
  });

  it('limits the proxy to 1080p keeping the aspect, with even sides, and never upscales', () => {
    const uhd = planTranscode(probe({ video: video({ width: 3840, height: 2160 }) }));
    expect(uhd.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=1920:1080,setsar=1');
    const cinema = planTranscode(probe({ video: video({ width: 4096, height: 1716 }) }));
    expect(cinema.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=1920:804,setsar=1');
    const odd = planTranscode(probe({ video: video({ width: 641, height: 361 }) }));
    expect(odd.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=642:362,setsar=1');
  });

  it('keeps portrait video portrait: 1080 on the short side, 1920 on the long one', () => {
    const plan = planTranscode(probe({ video: video({ width: 2160, height: 3840 }) }));
    expect(plan).toMatchObject({ width: 2160, height: 3840 });
    expect(plan.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=1080:1920,setsar=1');
    expect(plan.steps.find((s) => s.rendition === 'thumbnail')?.outputOptions).toContain('scale=180:320,setsar=1');
  });

  it('sizes a rotated phone video as displayed (ffmpeg applies the rotation itself)', () => {
    const plan = planTranscode(probe({ video: video({ width: 1920, height: 1080, rotation: 90 }) }));
    expect(plan).toMatchObject({ width: 1080, height: 1920 });
    expect(plan.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=1080:1920,setsar=1');
    expect(plan.steps.every((s) => !s.inputOptions.includes('-noautorotate'))).toBe(true);
  });

  it('stretches anamorphic video by its pixel aspect ratio', () => {
    const plan = planTranscode(probe({ video: video({ width: 720, height: 576, sampleAspect: { num: 64, den: 45 } }) }));
    expect(plan).toMatchObject({ width: 1024, height: 576 });
    expect(plan.steps.find((s) => s.rendition === 'proxy')?.outputOptions).toContain('scale=1024:576,setsar=1');
  });

  it('makes a silent proxy for video without audio, and downmixes surround to stereo', () => {
    const silent = planTranscode(probe({ audio: null })).steps.find((s) => s.rendition === 'proxy');
    expect(silent?.outputOptions).toEqual(expect.arrayContaining(['-an']));
    expect(silent?.outputOptions).not.toContain('0:a:0');
    const surround = planTranscode(probe({ audio: audio({ channels: 6 }) })).steps.find((s) => s.rendition === 'proxy');
    expect(surround?.outputOptions.join(' ')).toContain('-c:a aac -b:a 128k -ac 2 -movflags');
  });

  it('skips the filmstrip and seeks nowhere when the duration is unknown', () => {
    const plan = planTranscode(probe({ durationMs: null }));
    expect(plan.steps.map((s) => s.rendition)).toEqual(['thumbnail', 'poster', 'proxy']);
    expect(plan.steps[0]?.inputOptions).toEqual([]);
  });

  it('honours the configured x264 preset', () => {
    const plan = planTranscode(probe(), { x264Preset: 'ultrafast' });
    expect(plan.steps.find((s) => s.rendition === 'proxy')?.outputOptions.join(' ')).toContain('-preset ultrafast');
  });

  it('plans a still image: thumbnail and poster, autorotate off, EXIF orientation as explicit filters', () => {
    const plan = planTranscode(
      probe({
        formatName: 'image2',
        durationMs: 40,
        audio: null,
        video: video({ codec: 'mjpeg', width: 4000, height: 3000, frameCount: 1 }),
        exifOrientation: 6,
      }),
    );
    expect(plan).toEqual({
      kind: 'image',
      width: 3000,
      height: 4000,
      durationMs: null,
      steps: [
        {
          rendition: 'thumbnail',
          fileName: 'thumbnail.jpg',
          contentType: 'image/jpeg',
          inputOptions: ['-noautorotate'],
          outputOptions: stillOptions('transpose=1,scale=240:320,setsar=1'),
          upload: 'single',
          weight: 1,
          progressDurationMs: null,
        },
        {
          rendition: 'poster',
          fileName: 'poster.jpg',
          contentType: 'image/jpeg',
          inputOptions: ['-noautorotate'],
          outputOptions: stillOptions('transpose=1,scale=960:1280,setsar=1'),
          upload: 'single',
          weight: 2,
          progressDurationMs: null,
        },
      ],
    });
  });

  it.each([
    [1, 'scale=320:240,setsar=1'],
    [2, 'hflip,scale=320:240,setsar=1'],
    [3, 'hflip,vflip,scale=320:240,setsar=1'],
    [4, 'vflip,scale=320:240,setsar=1'],
    [5, 'transpose=0,scale=240:320,setsar=1'],
    [6, 'transpose=1,scale=240:320,setsar=1'],
    [7, 'transpose=3,scale=240:320,setsar=1'],
    [8, 'transpose=2,scale=240:320,setsar=1'],
  ] as const)('maps EXIF orientation %i to %s', (orientation, filters) => {
    const plan = planTranscode(
      probe({
        formatName: 'jpeg_pipe',
        audio: null,
        video: video({ codec: 'mjpeg', width: 640, height: 480 }),
        exifOrientation: orientation,
      }),
    );
    expect(plan.steps[0]?.outputOptions).toEqual(stillOptions(filters));
  });

  it('treats PNG, WebP and GIF as images and does not upscale small ones', () => {
    for (const formatName of ['png_pipe', 'webp_pipe', 'gif']) {
      const plan = planTranscode(probe({ formatName, audio: null, video: video({ codec: 'png', width: 100, height: 50 }) }));
      expect(plan.kind).toBe('image');
      expect(plan.steps.map((s) => s.outputOptions[5])).toEqual(['scale=100:50,setsar=1', 'scale=100:50,setsar=1']);
    }
  });

  it('plans audio: AAC proxy and a waveform PNG (cover art does not make it a video)', () => {
    const plan = planTranscode(
      probe({ formatName: 'mp3', durationMs: 3000, video: null, hasCoverArt: true, audio: audio({ codec: 'mp3', channels: 1 }) }),
    );
    expect(plan).toEqual({
      kind: 'audio',
      width: null,
      height: null,
      durationMs: 3000,
      steps: [
        {
          rendition: 'audio_proxy',
          fileName: 'audio_proxy.m4a',
          contentType: 'audio/mp4',
          inputOptions: [],
          outputOptions: [
            '-map',
            '0:a:0',
            '-vn',
            '-map_metadata',
            '-1',
            '-c:a',
            'aac',
            '-b:a',
            '128k',
            '-movflags',
            '+faststart',
            '-f',
            'mp4',
          ],
          upload: 'multipart',
          weight: 60,
          progressDurationMs: 3000,
        },
        {
          rendition: 'waveform',
          fileName: 'waveform.png',
          contentType: 'image/png',
          inputOptions: [],
          outputOptions: [
            '-filter_complex',
            '[0:a:0]aformat=channel_layouts=mono,showwavespic=s=1200x240:colors=0x4f46e5',
            '-frames:v',
            '1',
            '-c:v',
            'png',
            '-f',
            'image2',
          ],
          upload: 'single',
          weight: 25,
          progressDurationMs: null,
        },
      ],
    });
  });

  it('plans nothing for a file without audio or video (subtitles, data)', () => {
    expect(planTranscode(probe({ formatName: 'srt', video: null, audio: null, durationMs: null }))).toEqual({
      kind: 'other',
      width: null,
      height: null,
      durationMs: null,
      steps: [],
    });
  });
});

describe('plan helpers', () => {
  it('fitWithin keeps the aspect, never upscales, and rounds to even when asked', () => {
    expect(fitWithin({ width: 1000, height: 500 }, 320, 320, false)).toEqual({ width: 320, height: 160 });
    expect(fitWithin({ width: 100, height: 50 }, 320, 320, false)).toEqual({ width: 100, height: 50 });
    expect(fitWithin({ width: 1001, height: 333 }, 160, 10_000, true)).toEqual({ width: 160, height: 54 });
    expect(fitWithin({ width: 1, height: 1 }, 160, 160, true)).toEqual({ width: 2, height: 2 });
  });

  it('displaySize applies the pixel aspect and quarter turns', () => {
    expect(displaySize({ width: 1920, height: 1080, sampleAspect: { num: 1, den: 1 }, rotation: 270 })).toEqual({
      width: 1080,
      height: 1920,
    });
    expect(displaySize({ width: 1440, height: 1080, sampleAspect: { num: 4, den: 3 }, rotation: 180 })).toEqual({
      width: 1920,
      height: 1080,
    });
  });

  it('recognises still-image demuxers', () => {
    expect(['image2', 'jpeg_pipe', 'png_pipe', 'gif', 'apng'].every(isStillImageFormat)).toBe(true);
    expect([MP4, 'matroska,webm', 'mp3', 'avi'].some(isStillImageFormat)).toBe(false);
  });
});
