import { bullOptions } from './redis-options.js';

describe('bullOptions', () => {
  it('reads host, port, database index and password from the URL', () => {
    expect(bullOptions('redis://:s3cret@127.0.0.1:6380/7', 'isola-test')).toEqual({
      prefix: 'isola-test',
      redis: { host: '127.0.0.1', port: 6380, db: 7, password: 's3cret' },
    });
  });

  it('defaults to port 6379 and database 0', () => {
    expect(bullOptions('redis://localhost', 'isola').redis).toEqual({ host: 'localhost', port: 6379, db: 0 });
  });
});
