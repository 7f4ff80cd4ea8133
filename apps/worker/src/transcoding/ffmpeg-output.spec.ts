import { classifyFfmpegFailure, indicatesTruncatedInput, isStatsLine, redactUrls, statsTimeMs } from './ffmpeg-output.js';

describe('ffmpeg output', () => {
  it.each([
    ['http://127.0.0.1:7480/b/k.mp4?X-Amz-Signature=abc: Server returned 403 Forbidden (access denied)', 'input-denied'],
    ['http://host/k?x=1: Server returned 404 Not Found', 'input-not-found'],
    ['http://host/k: Server returned 5XX Server Error reply', 'input-unavailable'],
    ['Connection to tcp://127.0.0.1:7480 failed: Connection refused', 'input-unavailable'],
    ['[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55] moov atom not found\nhttp://h/k: Invalid data found when processing input', 'corrupt'],
    [
      '[h264 @ 0x1] Invalid NAL unit size (1234 > 99).\nError while decoding stream #0:0: Invalid data found when processing input',
      'corrupt',
    ],
    ['Conversion failed!', 'unknown'],
    ['', 'unknown'],
  ])('classifies %j as %s', (stderr, kind) => {
    expect(classifyFfmpegFailure(stderr)).toBe(kind);
  });

  it('notices a source cut short although ffmpeg exited 0', () => {
    expect(indicatesTruncatedInput('[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55cc] stream 1, offset 0xc68e: partial file')).toBe(true);
    expect(indicatesTruncatedInput('[aac @ 0x1] Too many bits')).toBe(false);
  });

  it('reads the media time of -stats lines', () => {
    const video = 'frame=   33 fps=0.0 q=-1.0 size=      26kB time=00:00:01.30 bitrate= 164.8kbits/s speed= 7.8x';
    const audio = 'size=     256kB time=01:02:15.36 bitrate= 136.5kbits/s speed=30.7x';
    expect(isStatsLine(video) && isStatsLine(audio)).toBe(true);
    expect(statsTimeMs(video)).toBe(1300);
    expect(statsTimeMs(audio)).toBe(3_735_360);
    expect(statsTimeMs('frame=    0 fps=0.0 q=0.0 size=       0kB time=N/A bitrate=N/A')).toBeNull();
    expect(statsTimeMs('frame=    1 time=-00:00:00.04')).toBeNull();
    expect(isStatsLine('[mp4 @ 0x1] Starting second pass: moving the moov atom')).toBe(false);
  });

  it("removes presigned URLs' query strings", () => {
    const line =
      "Input #0, mov, from 'http://127.0.0.1:7480/bkt/media/m/source/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F&X-Amz-Security-Token=tok&X-Amz-Signature=f00':";
    expect(redactUrls(line)).toBe("Input #0, mov, from 'http://127.0.0.1:7480/bkt/media/m/source/a.mp4?[redacted]':");
    expect(redactUrls('https://s3.amazonaws.com/b/k?sig=1 and http://x/y?z=2')).toBe(
      'https://s3.amazonaws.com/b/k?[redacted] and http://x/y?[redacted]',
    );
  });
});
