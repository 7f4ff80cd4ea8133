import type { MemberDto } from '@isola/contracts';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { aMe, uuid } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';

function aMember(overrides: Partial<MemberDto> = {}): MemberDto {
  return {
    userId: uuid(),
    email: 'max@northwind.test',
    displayName: 'Max',
    role: 'member',
    since: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function setup(members: MemberDto[]) {
  const me = aMe();
  const self = aMember({ userId: me.user.id, email: me.user.email, displayName: me.user.displayName, role: 'admin' });
  const api = mockApi()
    .on('GET', '/api/auth/me', { body: me })
    .on('GET', '/api/tenant/storage/targets', { body: { items: [] } })
    .on('GET', '/api/tenant/members', { body: { items: [self, ...members] } });
  renderApp('/admin/members');
  return { api, self };
}

describe('members', () => {
  beforeAll(() => import('../../../routes/AdminPage'));

  it('explains LAST_ADMIN when the only admin tries to step down, and keeps the role shown as it is', async () => {
    const { api, self } = setup([aMember()]);
    api.on('PATCH', `/api/tenant/members/${self.userId}`, {
      status: 409,
      body: { code: 'LAST_ADMIN', message: 'The studio would be left without an admin: make someone else an admin first.' },
    });
    const role = (await screen.findByLabelText(`Role of ${self.email}`)) as HTMLSelectElement;
    fireEvent.change(role, { target: { value: 'member' } });
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-code')).toBe('LAST_ADMIN');
    expect(alert.textContent).toContain('Your studio needs at least one admin.');
    expect(alert.textContent).toContain('make someone else an admin first');
    expect(api.callsTo('PATCH', `/api/tenant/members/${self.userId}`)[0]?.body).toEqual({ role: 'member' });
    await waitFor(() => expect(role.value).toBe('admin'));
  });

  it('adds a member by email, and shows the API’s errors (unknown account, field error)', async () => {
    const { api } = setup([]);
    await screen.findByRole('table');
    api.on('POST', '/api/tenant/members', (call) => {
      const { email } = call.body as { email: string };
      if (email === 'nobody@else.test') {
        return {
          status: 404,
          body: {
            code: 'USER_NOT_FOUND',
            message: 'No Isola account has that email address: ask the person to create an account first, then add them.',
          },
        };
      }
      if (email === 'not-an-email') {
        return {
          status: 400,
          body: {
            code: 'VALIDATION_FAILED',
            message: 'The request is not valid.',
            details: { fields: [{ field: 'email', message: 'must be an email address' }] },
          },
        };
      }
      return { status: 201, body: aMember({ email, role: 'admin' }) };
    });
    const form = within(screen.getByRole('heading', { name: 'Add a member' }).closest('section')!);
    const email = form.getByLabelText('Email');

    fireEvent.change(email, { target: { value: 'nobody@else.test' } });
    fireEvent.click(form.getByRole('button', { name: 'Add member' }));
    expect((await form.findByRole('alert')).textContent).toContain('No Isola account has that email.');

    fireEvent.change(email, { target: { value: 'not-an-email' } });
    fireEvent.click(form.getByRole('button', { name: 'Add member' }));
    expect(await form.findByText('must be an email address')).toBeTruthy();
    expect(email.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(email, { target: { value: 'new@northwind.test' } });
    fireEvent.change(form.getByLabelText('Role'), { target: { value: 'admin' } });
    fireEvent.click(form.getByRole('button', { name: 'Add member' }));
    expect(await screen.findByText('new@northwind.test was added.')).toBeTruthy();
    expect(api.callsTo('POST', '/api/tenant/members').at(-1)?.body).toEqual({ email: 'new@northwind.test', role: 'admin' });
  });

  it('removes a member after a confirmation', async () => {
    const max = aMember();
    const { api } = setup([max]);
    api.on('DELETE', `/api/tenant/members/${max.userId}`, { status: 204 });
    fireEvent.click(await screen.findByRole('button', { name: `Remove ${max.email}` }));
    const dialog = await screen.findByRole('dialog', { name: `Remove ${max.email}?` });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText(`${max.email} was removed from the studio.`)).toBeTruthy();
    expect(api.callsTo('DELETE', `/api/tenant/members/${max.userId}`)).toHaveLength(1);
  });
});
