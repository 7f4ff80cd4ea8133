import { describe, expect, it, vi } from 'vitest';
import { mockApi } from '../test/mock-api';
import { ApiRequestError, apiRequest, onUnauthenticated } from './api';

describe('apiRequest', () => {
  it('sends JSON same-origin and returns the answer', async () => {
    const api = mockApi().on('PATCH', '/api/media/m1', { body: { ok: true } });
    await expect(apiRequest('/media/m1', { method: 'PATCH', body: { filename: 'a' } })).resolves.toEqual({ ok: true });
    const [, init] = api.fetch.mock.calls[0]!;
    expect(init).toMatchObject({ method: 'PATCH', credentials: 'same-origin', body: '{"filename":"a"}' });
    expect((init as RequestInit).headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it('throws ApiRequestError with the status, code and message of the error body', async () => {
    mockApi().on('GET', '/api/media', { status: 400, body: { code: 'VALIDATION_FAILED', message: 'limit: too big' } });
    const error = await apiRequest('/media').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: 'limit: too big' });
  });

  it('tells the session about a 401 unless the caller expects one', async () => {
    mockApi().on('GET', '/api/media', { status: 401, body: { code: 'UNAUTHENTICATED', message: 'Sign in.' } });
    const listener = vi.fn();
    const off = onUnauthenticated(listener);
    await apiRequest('/media', { endSessionOn401: false }).catch(() => undefined);
    expect(listener).not.toHaveBeenCalled();
    await apiRequest('/media').catch(() => undefined);
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ status: 401, code: 'UNAUTHENTICATED' }));
    off();
  });

  it('reports an unreachable API as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(apiRequest('/media')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('copes with error bodies that are not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 502 })));
    await expect(apiRequest('/media')).rejects.toMatchObject({ status: 502, code: 'HTTP_ERROR', message: 'The server answered 502.' });
  });
});
