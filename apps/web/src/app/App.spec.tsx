import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { aMe, aMember } from '../test/fixtures';
import { mockApi } from '../test/mock-api';
import { renderApp } from '../test/render';

const unauthenticated = { status: 401, body: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } };
const emptyPage = { body: { items: [], nextCursor: null } };

function signIn(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('route guard', () => {
  it('sends a visitor without a session to /login', async () => {
    mockApi().on('GET', '/api/auth/me', unauthenticated);
    const app = renderApp('/media/abc');
    expect(await screen.findByRole('heading', { name: 'Sign in to your studio' })).toBeTruthy();
    expect(app.location()).toBe('/login');
  });

  it('sends the user to /login when a later request answers 401 (session expired)', async () => {
    mockApi().on('GET', '/api/auth/me', { body: aMe() }).on('GET', '/api/media', unauthenticated);
    const app = renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Sign in to your studio' })).toBeTruthy();
    expect(app.location()).toBe('/login');
  });

  it('says so when the API cannot be reached instead of asking to sign in', async () => {
    mockApi().on('GET', '/api/auth/me', { status: 503, body: { code: 'UNAVAILABLE', message: 'Maintenance.' } });
    renderApp('/');
    expect((await screen.findByRole('alert')).textContent).toContain('Maintenance.');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('sign-in', () => {
  it('shows the API’s message when the credentials are refused', async () => {
    const api = mockApi()
      .on('GET', '/api/auth/me', unauthenticated)
      .on('POST', '/api/auth/login', { status: 401, body: { code: 'INVALID_CREDENTIALS', message: 'Email or password is wrong.' } });
    const app = renderApp('/login');
    await screen.findByLabelText('Email');
    signIn('admin@northwind.test', 'nope');
    expect((await screen.findByRole('alert')).textContent).toBe('Email or password is wrong.');
    expect(api.callsTo('POST', '/api/auth/login')[0]?.body).toEqual({ email: 'admin@northwind.test', password: 'nope' });
    expect(app.location()).toBe('/login');
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBe('true');
  });

  it('goes back to the page the guard stopped, with the studio in the header', async () => {
    const me = aMe();
    mockApi().on('GET', '/api/auth/me', unauthenticated).on('POST', '/api/auth/login', { body: me }).on('GET', '/api/media', emptyPage);
    const app = renderApp('/?type=video');
    await screen.findByLabelText('Email');
    expect(app.location()).toBe('/login');
    signIn('admin@northwind.test', 'secret');
    await waitFor(() => expect(app.location()).toBe('/?type=video'));
    const header = within(screen.getByRole('banner'));
    expect(header.getByText('Northwind Studio')).toBeTruthy();
    expect(header.getByText('Admin', { selector: '.badge' })).toBeTruthy();
  });

  it('takes staff without a studio to the support area', async () => {
    const up = { status: 'up', latencyMs: 1 };
    mockApi()
      .on('GET', '/api/auth/me', unauthenticated)
      .on('POST', '/api/auth/login', { body: aMe({ tenant: null, role: null, staffRole: 'support' }) })
      .on('GET', '/api/health', { body: { status: 'ok', version: '0', checks: { database: up, redis: up, s3: up, sts: up } } });
    const app = renderApp('/login');
    await screen.findByLabelText('Email');
    signIn('support@isola.test', 'secret');
    expect(await screen.findByRole('heading', { name: 'Support' })).toBeTruthy();
    expect(app.location()).toBe('/support');
    const header = within(screen.getByRole('banner'));
    expect(header.getByText('Isola staff')).toBeTruthy();
    expect(header.getByText('Support', { selector: '.badge' })).toBeTruthy();
  });
});

describe('app shell', () => {
  it('signs out and returns to /login', async () => {
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/media', emptyPage)
      .on('POST', '/api/auth/logout', { status: 204 });
    const app = renderApp('/');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to your studio' })).toBeTruthy();
    expect(api.callsTo('POST', '/api/auth/logout')).toHaveLength(1);
    expect(app.location()).toBe('/login');
  });

  it('shows the storage mode badge when it is known', async () => {
    const me = aMe();
    mockApi()
      .on('GET', '/api/auth/me', { body: me })
      .on('GET', '/api/media', emptyPage)
      .on('GET', '/api/tenant/storage/targets', { body: { items: [{ id: 't1', mode: 'isolated', status: 'active' }] } });
    renderApp('/');
    expect(await screen.findByText('Own bucket')).toBeTruthy();
  });

  it('gives tenant admins the (lazily loaded) admin area', async () => {
    mockApi().on('GET', '/api/auth/me', { body: aMe() }).on('GET', '/api/media', emptyPage);
    renderApp('/');
    fireEvent.click(await screen.findByRole('link', { name: 'Admin' }));
    expect(await screen.findByRole('heading', { name: 'Studio administration' })).toBeTruthy();
  });

  it('keeps members out of the admin area', async () => {
    mockApi().on('GET', '/api/auth/me', { body: aMember() }).on('GET', '/api/media', emptyPage);
    renderApp('/admin');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Admin' })).toBeNull();
    expect(within(screen.getByRole('banner')).getByText('Member')).toBeTruthy();
  });
});
