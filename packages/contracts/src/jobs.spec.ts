import { JobName, jobIdFor, parseJobPayload, queueForJob, isJobName } from './jobs.js';

describe('jobs', () => {
  it('derives the transcode job id from the media id, so a media is never transcoded twice in parallel', () => {
    const mediaId = '6f1c2d1e-8a7b-4c3d-9e0f-112233445566';
    expect(jobIdFor({ name: JobName.MediaTranscode, payload: { mediaId } }, 'outbox-1')).toBe(`media:${mediaId}`);
    expect(jobIdFor({ name: JobName.MediaTranscode, payload: { mediaId } }, 'outbox-2')).toBe(`media:${mediaId}`);
  });

  it('gives pings their outbox id', () => {
    expect(jobIdFor({ name: JobName.SystemPing, payload: { note: 'x' } }, 'abc')).toBe('ping:abc');
  });

  it('rejects payloads that do not match the job', () => {
    expect(() => parseJobPayload(JobName.MediaTranscode, { mediaId: 'not-a-uuid' })).toThrow();
    expect(parseJobPayload(JobName.SystemPing, { note: 'hi' })).toEqual({ note: 'hi' });
  });

  it('routes every job to a queue and recognises job names', () => {
    for (const name of Object.values(JobName)) expect(queueForJob[name]).toBeDefined();
    expect(isJobName('System.Ping')).toBe(true);
    expect(isJobName('System.Nope')).toBe(false);
  });
});
