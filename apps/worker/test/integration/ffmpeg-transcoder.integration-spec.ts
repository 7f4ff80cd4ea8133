import { readFile } from 'node:fs/promises';
import { FfmpegTranscoder } from '../../src/transcoding/ffmpeg-transcoder.adapter.js';
import { isProcessAlive } from '../../src/transcoding/scratch-space.js';
import { planTranscode } from '../../src/transcoding/plan-transcode.js';
import { TranscoderError } from '../../src/transcoding/transcoder.port.js';
import { ffprobeJson, MediaFixtures } from './support/media-fixtures.js';

/** The ffmpeg adapter against Debian's ffmpeg, on local files. */
describe('FfmpegTranscoder (real ffmpeg)', () => {
  let fixtures: MediaFixtures;
  const transcoder = new FfmpegTranscoder({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', probeTimeoutMs: 20_000 });

  beforeAll(async () => {
    fixtures = await MediaFixtures.create();
  });
  afterAll(async () => {
    await fixtures.dispose();
  });

  it('probes, runs a planned proxy with progress, and writes what the plan says', async () => {
    const source = await fixtures.video('clip.mp4');
    const probe = await transcoder.probe(source);
    expect(probe).toMatchObject({
      durationMs: 3000,
      video: { codec: 'h264', width: 640, height: 360 },
      audio: { codec: 'aac', channels: 1 },
    });
    const proxy = planTranscode(probe, { x264Preset: 'ultrafast' }).steps.find((s) => s.rendition === 'proxy')!;
    const fractions: number[] = [];
    const pids: number[] = [];
    const out = fixtures.path('proxy.mp4');
    await transcoder.run(proxy, { input: source, output: out, onProgress: (f) => fractions.push(f), onSpawn: (pid) => pids.push(pid) });
    expect(fractions.at(-1)).toBe(1);
    expect(pids).toHaveLength(1);
    const written = await ffprobeJson(out);
    expect(written.streams.map((s) => s['codec_name'])).toEqual(['h264', 'aac']);
    // faststart: the moov box comes before the media data
    const head = (await readFile(out)).subarray(0, 64).toString('latin1');
    expect(head.indexOf('moov')).toBeGreaterThan(0);
  });

  it('says corrupt for a cut MP4 and a text file, refusing to pass a truncated source as done', async () => {
    const whole = await readFile(await fixtures.video('whole.mp4'));
    const cut = await fixtures.write('cut.mp4', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(transcoder.probe(cut)).rejects.toMatchObject({ kind: 'corrupt' });
    await expect(transcoder.probe(await fixtures.write('text.mp4', 'not a video'))).rejects.toMatchObject({ kind: 'corrupt' });

    // faststart: the header survives, the data ends early; ffmpeg exits 0 but says "partial file"
    const fast = await readFile(await fixtures.video('fast.mp4', { faststart: true }));
    const cutFast = await fixtures.write('cut-fast.mp4', fast.subarray(0, Math.floor(fast.length / 2)));
    const probe = await transcoder.probe(cutFast);
    const proxy = planTranscode(probe, { x264Preset: 'ultrafast' }).steps.find((s) => s.rendition === 'proxy')!;
    await expect(transcoder.run(proxy, { input: cutFast, output: fixtures.path('cut-proxy.mp4') })).rejects.toMatchObject({
      kind: 'corrupt',
    });
  });

  it('kills ffmpeg when the job is aborted', async () => {
    const source = await fixtures.video('long.mp4', { seconds: 10 });
    const probe = await transcoder.probe(source);
    const proxy = planTranscode(probe, { x264Preset: 'veryslow' }).steps.find((s) => s.rendition === 'proxy')!;
    const controller = new AbortController();
    let pid = 0;
    const running = transcoder.run(proxy, {
      input: source,
      output: fixtures.path('aborted.mp4'),
      signal: controller.signal,
      onSpawn: (p) => (pid = p),
      onProgress: () => controller.abort(),
    });
    await expect(running).rejects.toBeInstanceOf(TranscoderError);
    await expect(running).rejects.toMatchObject({ kind: 'aborted' });
    expect(pid).toBeGreaterThan(0);
    expect(isProcessAlive(pid, null)).toBe(false);
  });

  it('reports a missing ffprobe as a failure, not as corrupt media', async () => {
    const broken = new FfmpegTranscoder({ ffmpegPath: '/nonexistent/ffmpeg', ffprobePath: '/nonexistent/ffprobe', probeTimeoutMs: 1000 });
    await expect(broken.probe(await fixtures.write('x.txt', 'x'))).rejects.toMatchObject({ kind: 'failed' });
  });
});
