import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { aSetupKit, aTarget } from '../../../test/admin-fixtures';
import { aMe } from '../../../test/fixtures';
import { mockApi } from '../../../test/mock-api';
import { renderApp } from '../../../test/render';

function captureDownloads() {
  const files: Array<{ name: string; type: string; text: Promise<string> }> = [];
  let last: Blob | null = null;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob: Blob | MediaSource) => {
    last = blob as Blob;
    return 'blob:test';
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, type: last!.type, text: last!.text() });
  });
  return files;
}

async function renderKit() {
  const target = aTarget();
  const kit = aSetupKit(target.id);
  const api = mockApi()
    .on('GET', '/api/auth/me', { body: aMe() })
    .on('GET', '/api/tenant/storage/targets', { body: { items: [target] } })
    .on('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`, (call) =>
      call.url.searchParams.get('transitionSourcesAfterDays') === '10'
        ? {
            status: 400,
            body: {
              code: 'VALIDATION_FAILED',
              message: 'The request is not valid.',
              details: { fields: [{ field: 'transitionSourcesAfterDays', message: 'must be 0 (off) or at least 30' }] },
            },
          }
        : { body: kit },
    );
  renderApp(`/admin/storage/${target.id}`);
  const section = within((await screen.findByRole('heading', { name: 'Setup kit' })).closest('section')!);
  await section.findByText(kit.externalId);
  return { target, kit, api, section };
}

describe('setup kit', () => {
  // The admin console is a lazy chunk: load it once up front so no test waits for the import.
  beforeAll(() => import('../../../routes/AdminPage'));

  it('copies the ExternalId and each policy document to the clipboard', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { kit, section } = await renderKit();

    fireEvent.click(section.getByRole('button', { name: 'Copy (ExternalId)' }));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(kit.externalId));
    expect(await section.findByText('ExternalId copied to the clipboard')).toBeTruthy();

    fireEvent.click(section.getByRole('button', { name: 'Copy (Role trust policy)' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(2));
    expect(JSON.parse(writeText.mock.calls[1]![0] as string)).toEqual(kit.documents.trustPolicy);

    fireEvent.click(section.getByRole('button', { name: 'Copy (Bucket CORS)' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledTimes(3));
    expect(JSON.parse(writeText.mock.calls[2]![0] as string)).toEqual(kit.documents.bucketCors);
    // Every document of the kit is offered.
    expect(section.getAllByRole('button', { name: /^Copy \(/ }).length).toBeGreaterThanOrEqual(7 + 1);
  });

  it('says when the clipboard refused', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn().mockRejectedValue(new Error('denied')) } });
    const { section } = await renderKit();
    fireEvent.click(section.getByRole('button', { name: 'Copy (ExternalId)' }));
    expect(await section.findByText('Could not copy ExternalId: select the text and copy it')).toBeTruthy();
  });

  it('downloads the CloudFormation template, the Terraform block and each JSON policy as files', async () => {
    const files = captureDownloads();
    const { kit, section } = await renderKit();
    fireEvent.click(section.getByRole('button', { name: 'Download CloudFormation template (YAML)' }));
    fireEvent.click(section.getByRole('button', { name: 'Download Terraform module block' }));
    fireEvent.click(section.getByRole('button', { name: 'Download Bucket policy (isola-bucket-policy.json)' }));
    fireEvent.click(section.getByRole('button', { name: 'Download CloudFormation parameters (JSON)' }));
    expect(files.map((f) => [f.name, f.type])).toEqual([
      ['isola-storage.yaml', 'application/yaml'],
      ['isola-storage.tf', 'text/plain'],
      ['isola-bucket-policy.json', 'application/json'],
      ['isola-storage-parameters.json', 'application/json'],
    ]);
    expect(await files[0]!.text).toBe(kit.cloudFormation.template);
    expect(await files[1]!.text).toBe(kit.terraform.moduleUsage);
    expect(JSON.parse(await files[2]!.text)).toEqual(kit.documents.bucketPolicy);
    expect(JSON.parse(await files[3]!.text)).toEqual(kit.cloudFormation.parameters);
  });

  it('re-renders the kit with options, showing the API’s field errors', async () => {
    const { api, target } = await renderKit();
    const days = screen.getByLabelText('Move sources to Infrequent Access after (days)');
    fireEvent.change(days, { target: { value: '10' } });
    fireEvent.change(screen.getByLabelText('Only from Isola’s addresses (CIDR)'), { target: { value: '203.0.113.0/24, 198.51.100.7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Update the documents' }));
    expect(await screen.findByText('must be 0 (off) or at least 30')).toBeTruthy();
    expect(days.getAttribute('aria-invalid')).toBe('true');
    const call = api.callsTo('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`).at(-1)!;
    expect(call.url.searchParams.get('sourceIps')).toBe('203.0.113.0/24,198.51.100.7');
  });

  it('regenerates the ExternalId after a confirmation', async () => {
    const { api, target, section } = await renderKit();
    api.on('POST', `/api/tenant/storage/targets/${target.id}/external-id`, {
      body: { targetId: target.id, externalId: 'ext-new', status: 'pending' },
    });
    fireEvent.click(section.getByRole('button', { name: 'Regenerate' }));
    const dialog = await screen.findByRole('dialog', { name: 'Regenerate the ExternalId?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    expect(await section.findByText(/New ExternalId created/)).toBeTruthy();
    expect(api.callsTo('POST', `/api/tenant/storage/targets/${target.id}/external-id`)).toHaveLength(1);
    // The kit is fetched again to show the new value.
    await waitFor(() => expect(api.callsTo('GET', `/api/tenant/storage/targets/${target.id}/setup-kit`).length).toBeGreaterThanOrEqual(2));
  });
});
