import { awsErrorInfoFrom } from './aws-error-info.js';
import { classifyAwsError } from './classify-aws-error.js';

describe('awsErrorInfoFrom', () => {
  it('reads name, Code and HTTP status from an SDK error', () => {
    const error = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      Code: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(awsErrorInfoFrom(error, 's3', 'GetObject')).toEqual({
      service: 's3',
      operation: 'GetObject',
      name: 'AccessDenied',
      code: 'AccessDenied',
      httpStatus: 403,
    });
  });

  it("maps RGW's unparsable STS errors by status", () => {
    const error = Object.assign(new Error('UnknownError'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    expect(classifyAwsError(awsErrorInfoFrom(error, 'sts', 'AssumeRole')).code).toBe('STORAGE_ACCESS_REVOKED');
  });

  it('finds network codes on the error or its cause', () => {
    expect(awsErrorInfoFrom(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'sts', 'AssumeRole').code).toBe('ECONNREFUSED');
    const fetchError = new TypeError('fetch failed', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) });
    const info = awsErrorInfoFrom(fetchError, 's3', 'HeadObject');
    expect(info).toMatchObject({ name: 'TypeError', code: 'ECONNRESET' });
    expect(classifyAwsError(info)).toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryable: true });
  });

  it('copes with anything thrown', () => {
    expect(awsErrorInfoFrom('boom', 's3', 'GetObject')).toEqual({ service: 's3', operation: 'GetObject' });
    expect(awsErrorInfoFrom(null, 's3', 'GetObject')).toEqual({ service: 's3', operation: 'GetObject' });
  });
});
