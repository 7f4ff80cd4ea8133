import { awsS3Endpoint, encodeS3Key, objectPath, s3Location } from './s3-location.js';

const rgw = { provider: 's3_compatible' as const, endpoint: 'http://127.0.0.1:7480', region: 'us-east-1', bucket: 'studio-media' };
const aws = { provider: 'aws' as const, region: 'eu-west-3', bucket: 'studio-media' };

describe('s3Location', () => {
  it('addresses S3-compatible endpoints path-style, with their port', () => {
    const location = s3Location(rgw);
    expect(location).toEqual({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 7480,
      host: '127.0.0.1:7480',
      basePath: '/studio-media',
      forcePathStyle: true,
      clientEndpoint: 'http://127.0.0.1:7480',
    });
    expect(objectPath(location, 'a/b c.mp4')).toBe('/studio-media/a/b%20c.mp4');
  });

  it('addresses AWS virtual-hosted on the regional endpoint', () => {
    const location = s3Location(aws);
    expect(location).toEqual({
      protocol: 'https:',
      hostname: 'studio-media.s3.eu-west-3.amazonaws.com',
      host: 'studio-media.s3.eu-west-3.amazonaws.com',
      basePath: '',
      forcePathStyle: false,
    });
    expect(objectPath(location, 'k.mp4')).toBe('/k.mp4');
    expect(awsS3Endpoint('cn-north-1')).toBe('https://s3.cn-north-1.amazonaws.com.cn');
  });

  it('follows an explicit choice either way', () => {
    expect(s3Location(aws, true)).toMatchObject({ hostname: 's3.eu-west-3.amazonaws.com', basePath: '/studio-media' });
    expect(s3Location({ ...rgw, endpoint: 'https://s3.example.com' }, false)).toMatchObject({
      hostname: 'studio-media.s3.example.com',
      host: 'studio-media.s3.example.com',
      basePath: '',
      clientEndpoint: 'https://s3.example.com',
    });
  });

  it('needs an endpoint for S3-compatible targets', () => {
    expect(() => s3Location({ ...rgw, endpoint: undefined })).toThrow(RangeError);
  });
});

describe('encodeS3Key', () => {
  it("encodes every byte but S3's unreserved set, keeping slashes", () => {
    expect(encodeS3Key("t/media/m1/source/it's (1)*!~.mp4")).toBe('t/media/m1/source/it%27s%20%281%29%2A%21~.mp4');
    expect(encodeS3Key('a/Café+🎬.mp4')).toBe('a/Caf%C3%A9%2B%F0%9F%8E%AC.mp4');
  });
});
