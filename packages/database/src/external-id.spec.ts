import { EXTERNAL_ID_LENGTH, generateExternalId } from './external-id.js';

describe('generateExternalId', () => {
  it('is 32 base64url characters (a valid STS ExternalId)', () => {
    const id = generateExternalId();
    expect(id).toHaveLength(EXTERNAL_ID_LENGTH);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, generateExternalId));
    expect(ids.size).toBe(1000);
  });
});
