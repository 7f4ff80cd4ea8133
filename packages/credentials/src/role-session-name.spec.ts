import { CREDENTIAL_PURPOSES } from './credential-scope.js';
import { MAX_ROLE_SESSION_NAME_LENGTH, buildRoleSessionName } from './role-session-name.js';

const UUID = '0192f3e4-7a6b-7c3d-9e8f-0123456789ab';
const VALID = /^[\w+=,.@-]{2,64}$/;

describe('buildRoleSessionName', () => {
  it('names purpose, tenant and id', () => {
    expect(buildRoleSessionName({ purpose: 'upload', tenantSlug: 'acme', tenantId: 'tenant-1', id: UUID })).toBe(
      `isola-upload-acme-${UUID}`,
    );
    expect(buildRoleSessionName({ purpose: 'verify', tenantId: 'c9a1f0d2-7777-4444-8888-123456789abc', id: 'run-1' })).toBe(
      'isola-verify-c9a1f0d2-run-1',
    );
  });

  it('squeezes a long tenant slug before the id', () => {
    const slug = 'acme-studios-international-holdings';
    expect(buildRoleSessionName({ purpose: 'transcode', tenantSlug: slug, tenantId: 't', id: UUID })).toBe(
      `isola-transcode-acme-studio-${UUID}`,
    );
    expect(buildRoleSessionName({ purpose: 'link', tenantSlug: slug, tenantId: 't', id: UUID })).toBe(
      `isola-link-acme-studios-int-${UUID}`,
    );
    expect(buildRoleSessionName({ purpose: 'link', tenantSlug: slug, tenantId: 't', id: 'short' })).toBe(
      'isola-link-acme-studios-internation-short',
    );
  });

  it('shortens a long id with a hash so distinct ids stay distinct', () => {
    const a = buildRoleSessionName({ purpose: 'migrate', tenantSlug: 'acme', tenantId: 't', id: 'x'.repeat(100) + 'a' });
    const b = buildRoleSessionName({ purpose: 'migrate', tenantSlug: 'acme', tenantId: 't', id: 'x'.repeat(100) + 'b' });
    expect(a).toHaveLength(MAX_ROLE_SESSION_NAME_LENGTH);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^isola-migrate-acme-x+\.[0-9a-f]{8}$/);
  });

  it('replaces characters AWS refuses', () => {
    expect(buildRoleSessionName({ purpose: 'delete', tenantSlug: 'Café Studio/ü', tenantId: 't', id: 'a b:c' })).toBe(
      'isola-delete-Caf-Studio-a-b-c',
    );
    expect(buildRoleSessionName({ purpose: 'delete', tenantSlug: '///', tenantId: '***', id: '' })).toBe('isola-delete-tenant-none');
  });

  it('is deterministic and always valid', () => {
    const inputs = ['', 'a', UUID, 'x'.repeat(200), 'ü'.repeat(80), 'a.b@c=d,e+f_g-h', '-'.repeat(70), '😀 🎬', '....'];
    for (const purpose of CREDENTIAL_PURPOSES) {
      for (const tenantSlug of [undefined, ...inputs]) {
        for (const id of inputs) {
          const input = { purpose, tenantId: 'tenant-1', id, ...(tenantSlug === undefined ? {} : { tenantSlug }) };
          const name = buildRoleSessionName(input);
          expect(name).toMatch(VALID);
          expect(name.startsWith(`isola-${purpose}-`)).toBe(true);
          expect(buildRoleSessionName(input)).toBe(name);
        }
      }
    }
  });
});
