import { buildFfmpegCommand, ffmpegArgs, ffprobeArgs } from './ffmpeg-transcoder.adapter.js';
import type { MediaProbe } from './media-probe.js';
import { planTranscode } from './plan-transcode.js';

const URL = 'http://127.0.0.1:7480/bucket/media/m/source/clip%20one.mp4?X-Amz-Signature=abc&X-Amz-Credential=a%2Fb';

const probe: MediaProbe = {
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  durationMs: 3000,
  video: { index: 0, codec: 'h264', width: 640, height: 360, sampleAspect: { num: 1, den: 1 }, rotation: 0, frameRate: 25, frameCount: 75 },
  audio: { index: 1, codec: 'aac', channels: 1, sampleRate: 48000 },
  hasCoverArt: false,
  exifOrientation: 1,
};

/** fluent-ffmpeg's own argument builder (private): what it actually spawns. */
const spawned = (command: ReturnType<typeof buildFfmpegCommand>) => (command as unknown as { _getArguments(): string[] })._getArguments();

describe('ffmpeg adapter arguments', () => {
  it('spawns exactly the planned options around the input and the output', () => {
    const step = planTranscode(probe).steps[0]!;
    // prettier-ignore
    expect(ffmpegArgs(step, URL, '/scratch/job/thumbnail.jpg')).toEqual([
      '-nostdin', '-hide_banner', '-v', 'error', '-stats',
      '-rw_timeout', '30000000',
      '-ss', '0.300',
      '-i', URL,
      '-y',
      '-map', '0:v:0', '-map_metadata', '-1', '-vf', 'scale=320:180,setsar=1', '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2',
      '/scratch/job/thumbnail.jpg',
    ]);
  });

  it('is what fluent-ffmpeg builds, for every step of every kind of plan', () => {
    const plans = [
      planTranscode(probe),
      planTranscode({ ...probe, formatName: 'image2', audio: null, exifOrientation: 6 }),
      planTranscode({ ...probe, formatName: 'mp3', video: null }),
    ];
    for (const step of plans.flatMap((p) => p.steps)) {
      for (const input of [URL, '/local/file.mp4']) {
        expect(spawned(buildFfmpegCommand(step, input, `/out/${step.fileName}`))).toEqual(ffmpegArgs(step, input, `/out/${step.fileName}`));
      }
    }
  });

  it('asks HTTP inputs for a read timeout, local files not', () => {
    const step = planTranscode(probe).steps[2]!;
    expect(ffmpegArgs(step, '/tmp/in.mp4', '/tmp/out.mp4').slice(0, 7)).toEqual([
      '-nostdin',
      '-hide_banner',
      '-v',
      'error',
      '-stats',
      '-i',
      '/tmp/in.mp4',
    ]);
  });

  it('probes with JSON output and the first frame (for EXIF orientation)', () => {
    // prettier-ignore
    expect(ffprobeArgs(URL)).toEqual([
      '-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_frames', '-read_intervals', '%+#1',
      '-rw_timeout', '30000000',
      URL,
    ]);
    expect(ffprobeArgs('/tmp/poster.jpg').at(-2)).toBe('%+#1');
  });
});
