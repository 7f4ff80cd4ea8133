import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@isola/contracts';
import { loadWorkerConfig } from './env.schema.js';

describe('loadWorkerConfig', () => {
  it('has working defaults for transcoding and the queue', () => {
    const config = loadWorkerConfig({ NODE_ENV: 'test' });
    expect(config.transcode).toEqual({
      enabled: true,
      scratchDir: join(tmpdir(), 'isola-worker'),
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      x264Preset: 'veryfast',
      progressIntervalMs: 1000,
      probeTimeoutMs: 60_000,
      partSizeBytes: 16 * 1024 * 1024,
      credentialMaxSeconds: 3600,
    });
    expect(config.queue).toEqual({ lockDurationMs: 30_000, stalledIntervalMs: 30_000, shutdownGraceMs: 25_000 });
    expect(config.concurrency).toBe(1);
  });

  it('reads every transcoding setting', () => {
    const config = loadWorkerConfig({
      NODE_ENV: 'test',
      WORKER_CONCURRENCY: '4',
      TRANSCODE_ENABLED: 'false',
      WORKER_SCRATCH_DIR: '/var/tmp/isola',
      FFMPEG_PATH: '/usr/bin/ffmpeg',
      FFPROBE_PATH: '/usr/bin/ffprobe',
      TRANSCODE_X264_PRESET: 'medium',
      TRANSCODE_PART_SIZE_MB: '8',
      WORKER_JOB_LOCK_MS: '2000',
      WORKER_SHUTDOWN_GRACE_MS: '0',
    });
    expect(config).toMatchObject({
      concurrency: 4,
      transcode: {
        enabled: false,
        scratchDir: '/var/tmp/isola',
        ffmpegPath: '/usr/bin/ffmpeg',
        x264Preset: 'medium',
        partSizeBytes: 8 * 1024 * 1024,
      },
      queue: { lockDurationMs: 2000, shutdownGraceMs: 0 },
    });
  });

  it('refuses parts S3 would refuse, unknown presets and credentials longer than the grant allows', () => {
    const load = () =>
      loadWorkerConfig({
        NODE_ENV: 'test',
        TRANSCODE_PART_SIZE_MB: '4',
        TRANSCODE_X264_PRESET: 'placebo',
        TRANSCODE_CREDENTIAL_MAX_SECONDS: '7200',
      });
    expect(load).toThrow(ConfigError);
    for (const key of ['TRANSCODE_PART_SIZE_MB', 'TRANSCODE_X264_PRESET', 'TRANSCODE_CREDENTIAL_MAX_SECONDS']) expect(load).toThrow(key);
  });
});
