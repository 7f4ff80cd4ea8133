import { corsPreflightProblems } from './cors-preflight-verdict.js';

const ORIGIN = 'http://localhost:5173';
const ok = { url: 'http://127.0.0.1:7480/b', status: 200, allowOrigin: ORIGIN, allowMethods: ['PUT'], exposeHeaders: ['ETag'] };

describe('corsPreflightProblems', () => {
  it('accepts the answer Ceph RGW gives for the setup kit CORS rule (ETag exposed on the preflight)', () => {
    expect(corsPreflightProblems(ok, ORIGIN)).toEqual([]);
    expect(
      corsPreflightProblems({ ...ok, allowOrigin: '*', allowMethods: ['GET', 'put'], exposeHeaders: ['x-amz-request-id', 'etag'] }, ORIGIN),
    ).toEqual([]);
  });

  it('names each problem a browser would stop at', () => {
    expect(corsPreflightProblems({ ...ok, status: 403, allowOrigin: null }, ORIGIN)).toEqual([
      'the preflight from http://localhost:5173 was refused (HTTP 403): no CORS rule allows this origin with PUT',
    ]);
    expect(
      corsPreflightProblems({ ...ok, allowOrigin: 'https://other.example', allowMethods: ['GET'], exposeHeaders: [] }, ORIGIN),
    ).toEqual([
      'the answer to http://localhost:5173 allows origin https://other.example',
      'PUT is not among the allowed methods (GET) for http://localhost:5173',
      'ETag is not exposed to http://localhost:5173 (browsers could not complete multipart uploads)',
    ]);
  });
});
