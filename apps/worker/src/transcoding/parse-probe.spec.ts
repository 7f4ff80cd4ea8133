import { parseProbe, ProbeParseError } from './parse-probe.js';

// Trimmed ffprobe 5.1 output (`-print_format json -show_format -show_streams -show_frames -read_intervals %+#1`).
const VIDEO = {
  streams: [
    {
      index: 0,
      codec_name: 'h264',
      codec_type: 'video',
      width: 1920,
      height: 1080,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '30000/1001',
      avg_frame_rate: '30000/1001',
      nb_frames: '90',
      duration: '3.003000',
      disposition: { attached_pic: 0 },
      side_data_list: [{ side_data_type: 'Display Matrix', displaymatrix: '\n00000000: …', rotation: 90 }],
    },
    {
      index: 1,
      codec_name: 'aac',
      codec_type: 'audio',
      sample_rate: '48000',
      channels: 6,
      duration: '3.000000',
      disposition: { attached_pic: 0 },
    },
    { index: 2, codec_name: 'bin_data', codec_type: 'data', duration: '3.000000' },
  ],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '3.003000', size: '99339' },
  frames: [],
};

const JPEG_ROTATED = {
  streams: [
    {
      index: 0,
      codec_name: 'mjpeg',
      codec_type: 'video',
      width: 320,
      height: 240,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '25/1',
      duration: '0.040000',
    },
  ],
  format: { format_name: 'image2', duration: '0.040000' },
  frames: [
    {
      media_type: 'video',
      stream_index: 0,
      tags: { Orientation: '    6' },
      side_data_list: [{ side_data_type: '3x3 displaymatrix', rotation: -90 }],
    },
  ],
};

const MP3_WITH_COVER = {
  streams: [
    {
      index: 0,
      codec_name: 'mp3',
      codec_type: 'audio',
      sample_rate: '44100',
      channels: 1,
      r_frame_rate: '0/0',
      avg_frame_rate: '0/0',
      duration: '3.030204',
      disposition: { attached_pic: 0 },
    },
    {
      index: 1,
      codec_name: 'mjpeg',
      codec_type: 'video',
      width: 64,
      height: 64,
      sample_aspect_ratio: '1:1',
      r_frame_rate: '90000/1',
      avg_frame_rate: '0/0',
      duration: '3.030200',
      disposition: { attached_pic: 1 },
    },
  ],
  format: { format_name: 'mp3', duration: '3.030204' },
  frames: [{ media_type: 'video', stream_index: 1 }],
};

describe('parseProbe', () => {
  it('reads a video: coded size, rotation from the display matrix, rate, frames, first audio stream', () => {
    expect(parseProbe(VIDEO)).toEqual({
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationMs: 3003,
      video: {
        index: 0,
        codec: 'h264',
        width: 1920,
        height: 1080,
        sampleAspect: { num: 1, den: 1 },
        rotation: 90,
        frameRate: 30000 / 1001,
        frameCount: 90,
      },
      audio: { index: 1, codec: 'aac', channels: 6, sampleRate: 48000 },
      hasCoverArt: false,
      exifOrientation: 1,
    });
  });

  it("reads a still image's EXIF orientation from its first frame", () => {
    const probe = parseProbe(JPEG_ROTATED);
    expect(probe.exifOrientation).toBe(6);
    expect(probe.video).toMatchObject({ codec: 'mjpeg', width: 320, height: 240, rotation: 0 });
    expect(probe.audio).toBeNull();
  });

  it('does not take cover art for a video stream', () => {
    const probe = parseProbe(MP3_WITH_COVER);
    expect(probe).toMatchObject({ formatName: 'mp3', durationMs: 3030, video: null, hasCoverArt: true, exifOrientation: 1 });
    expect(probe.audio).toEqual({ index: 0, codec: 'mp3', channels: 1, sampleRate: 44100 });
  });

  it('normalises rotations (negative, 270, legacy rotate tag) to quarter turns', () => {
    const withRotation = (extra: object) =>
      parseProbe({ streams: [{ index: 0, codec_type: 'video', width: 10, height: 20, ...extra }], format: {} }).video?.rotation;
    expect(withRotation({ side_data_list: [{ rotation: -90 }] })).toBe(270);
    expect(withRotation({ side_data_list: [{ rotation: 180 }] })).toBe(180);
    expect(withRotation({ side_data_list: [{ rotation: -270 }] })).toBe(90);
    expect(withRotation({ tags: { rotate: '90' } })).toBe(90);
    expect(withRotation({})).toBe(0);
  });

  it('turns unknowns into nulls and defaults: N/A duration, 0/0 rates, missing size, odd aspect ratios', () => {
    const probe = parseProbe({
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'vp9',
          width: 640,
          height: 480,
          sample_aspect_ratio: '0:1',
          avg_frame_rate: '0/0',
          r_frame_rate: '0/0',
          nb_frames: 'N/A',
        },
        { index: 1, codec_type: 'audio', codec_name: 'opus' },
      ],
      format: { format_name: 'matroska,webm', duration: 'N/A' },
    });
    expect(probe).toEqual({
      formatName: 'matroska,webm',
      durationMs: null,
      video: {
        index: 0,
        codec: 'vp9',
        width: 640,
        height: 480,
        sampleAspect: { num: 1, den: 1 },
        rotation: 0,
        frameRate: null,
        frameCount: null,
      },
      audio: { index: 1, codec: 'opus', channels: 2, sampleRate: null },
      hasCoverArt: false,
      exifOrientation: 1,
    });
  });

  it('ignores a picture stream without a size, and an invalid EXIF orientation', () => {
    const probe = parseProbe({
      streams: [{ index: 0, codec_type: 'video', codec_name: 'mjpeg' }],
      format: { format_name: 'image2' },
      frames: [{ stream_index: 0, tags: { Orientation: '9' } }],
    });
    expect(probe.video).toBeNull();
    expect(probe.exifOrientation).toBe(1);
  });

  it('accepts an empty result and refuses what is not ffprobe output', () => {
    expect(parseProbe({})).toEqual({ formatName: '', durationMs: null, video: null, audio: null, hasCoverArt: false, exifOrientation: 1 });
    expect(() => parseProbe({ streams: 'nope' })).toThrow(ProbeParseError);
    expect(() => parseProbe(null)).toThrow(ProbeParseError);
  });
});
