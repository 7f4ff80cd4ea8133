import { isSameOriginRequest } from './same-origin.js';

const origins = ['http://localhost:5173', 'http://127.0.0.1:5173'];

describe('isSameOriginRequest', () => {
  it('lets safe methods through', () => {
    expect(isSameOriginRequest('GET', {}, origins)).toBe(true);
    expect(isSameOriginRequest('HEAD', { origin: 'https://evil.example' }, origins)).toBe(true);
  });

  it('accepts state changes from the web app origins or marked same-origin', () => {
    expect(isSameOriginRequest('POST', { origin: 'http://localhost:5173' }, origins)).toBe(true);
    expect(isSameOriginRequest('DELETE', { 'sec-fetch-site': 'same-origin' }, origins)).toBe(true);
  });

  it('refuses other origins, opaque origins and requests that say nothing', () => {
    expect(isSameOriginRequest('POST', { origin: 'https://evil.example' }, origins)).toBe(false);
    expect(isSameOriginRequest('POST', { origin: 'null', 'sec-fetch-site': 'same-origin' }, origins)).toBe(false);
    expect(isSameOriginRequest('PATCH', { 'sec-fetch-site': 'cross-site' }, origins)).toBe(false);
    expect(isSameOriginRequest('POST', {}, origins)).toBe(false);
  });

  it('does not let a matching Sec-Fetch-Site override a foreign Origin', () => {
    expect(isSameOriginRequest('POST', { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' }, origins)).toBe(false);
  });
});
