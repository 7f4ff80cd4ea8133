import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { aSetupKit, aTarget } from '../../../test/admin-fixtures';
import { aMe } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';

describe('add an isolated target', () => {
  beforeAll(() => import('../../../routes/AdminPage'));

  it('shows the API’s issues next to their fields, then opens the new target', async () => {
    const created = aTarget({ bucket: 'northwind-media', prefix: 'isola' });
    const api = mockApi()
      .on('GET', '/api/auth/me', { body: aMe() })
      .on('GET', '/api/tenant/storage/targets', { body: { items: [created] } })
      .on('GET', `/api/tenant/storage/targets/${created.id}/setup-kit`, { body: aSetupKit(created.id) })
      .on('POST', '/api/tenant/storage/targets', (call) =>
        (call.body as { bucket: string }).bucket === 'Bad_Bucket'
          ? {
              status: 400,
              body: {
                code: 'STORAGE_TARGET_INVALID',
                message: 'The storage target is not valid.',
                details: {
                  issues: [
                    { field: 'bucket', code: 'INVALID_BUCKET', message: 'Bucket names use lower-case letters, digits, dots and hyphens.' },
                    { field: 'roleArn', code: 'REQUIRED', message: 'Give the ARN of the role Isola assumes.' },
                  ],
                },
              },
            }
          : { status: 201, body: created },
      );
    const app = renderApp('/admin/storage/new');
    const bucket = await screen.findByLabelText('Bucket');
    // every field is labelled, its hint tied to it, and the required ones marked
    expect(bucket.getAttribute('autocomplete')).toBe('off');
    const region = screen.getByLabelText('Region');
    expect(region.getAttribute('aria-describedby')).toBe(screen.getByText('e.g. eu-west-1').id);
    expect(
      ['Bucket', 'Region', 'Prefix (optional)', 'Role ARN', 'Endpoint (optional)'].map((label) => {
        const input = screen.getByLabelText(label) as HTMLInputElement;
        return [input.name, input.required];
      }),
    ).toEqual([
      ['bucket', true],
      ['region', true],
      ['prefix', false],
      ['roleArn', true],
      ['endpoint', false],
    ]);
    fireEvent.change(bucket, { target: { value: 'Bad_Bucket' } });
    fireEvent.change(screen.getByLabelText('Region'), { target: { value: 'us-east-1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add target' }));

    expect(await screen.findByText('Bucket names use lower-case letters, digits, dots and hyphens.')).toBeTruthy();
    expect(bucket.getAttribute('aria-invalid')).toBe('true');
    expect(bucket.getAttribute('aria-describedby')).toContain(
      screen.getByText('Bucket names use lower-case letters, digits, dots and hyphens.').id,
    );
    expect(screen.getByLabelText('Role ARN').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('some fields need a change');
    await waitFor(() => expect(document.activeElement).toBe(bucket));

    fireEvent.change(bucket, { target: { value: 'northwind-media' } });
    fireEvent.change(screen.getByLabelText('Prefix (optional)'), { target: { value: 'isola' } });
    fireEvent.change(screen.getByLabelText('Role ARN'), { target: { value: 'arn:aws:iam:::role/northwind-isola' } });
    fireEvent.change(screen.getByLabelText('Endpoint (optional)'), { target: { value: 'http://127.0.0.1:7480' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add target' }));
    await waitFor(() => expect(app.location()).toBe(`/admin/storage/${created.id}`));
    expect(api.callsTo('POST', '/api/tenant/storage/targets').at(-1)?.body).toEqual({
      bucket: 'northwind-media',
      region: 'us-east-1',
      prefix: 'isola',
      roleArn: 'arn:aws:iam:::role/northwind-isola',
      endpoint: 'http://127.0.0.1:7480',
    });
    expect(await screen.findByRole('heading', { name: 'Setup kit' })).toBeTruthy();
  });
});
