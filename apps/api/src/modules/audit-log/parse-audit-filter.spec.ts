import { ApiException } from '../../common/api.exception.js';
import { encodeAuditCursor } from './audit-cursor.js';
import { parseAuditExportQuery, parseAuditListQuery } from './parse-audit-filter.js';

const validationFields = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiException);
    const body = (e as ApiException).getResponse() as { code: string; details: { fields: Array<{ field: string }> } };
    expect(body.code).toBe('VALIDATION_FAILED');
    return body.details.fields.map((f) => f.field);
  }
  throw new Error('expected a validation error');
};

describe('parseAuditListQuery', () => {
  it('defaults to the newest 50 rows, unfiltered', () => {
    expect(parseAuditListQuery({})).toEqual({
      filter: { action: null, purpose: null, actorUserId: null, from: null, to: null, objectKeyContains: null },
      after: null,
      limit: 50,
    });
  });

  it('matches an action exactly, or as a prefix when it ends with a dot', () => {
    expect(parseAuditListQuery({ action: 'media.link' }).filter.action).toEqual({ match: 'exact', value: 'media.link' });
    expect(parseAuditListQuery({ action: 'upload.' }).filter.action).toEqual({ match: 'prefix', value: 'upload.' });
  });

  it('parses every filter from query-string values', () => {
    const actor = '0B0E0D0C-1111-4222-8333-444455556666';
    const page = parseAuditListQuery({
      purpose: 'link',
      actorUserId: actor,
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00+01:00',
      q: ' media/abc ',
      limit: '200',
    });
    expect(page.filter).toEqual({
      action: null,
      purpose: 'link',
      actorUserId: actor.toLowerCase(),
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-01T23:00:00Z'),
      objectKeyContains: 'media/abc',
    });
    expect(page.limit).toBe(200);
  });

  it('decodes the cursor of the previous page', () => {
    const after = { createdAt: new Date('2026-01-01T00:00:00.123Z'), id: '0b0e0d0c-1111-4222-8333-444455556666' };
    expect(parseAuditListQuery({ cursor: encodeAuditCursor(after) }).after).toEqual(after);
  });

  it('refuses bad values, naming each field', () => {
    expect(validationFields(() => parseAuditListQuery({ limit: '201' }))).toEqual(['limit']);
    expect(validationFields(() => parseAuditListQuery({ limit: '0' }))).toEqual(['limit']);
    expect(validationFields(() => parseAuditListQuery({ purpose: 'steal' }))).toEqual(['purpose']);
    expect(validationFields(() => parseAuditListQuery({ actorUserId: 'me' }))).toEqual(['actorUserId']);
    expect(validationFields(() => parseAuditListQuery({ from: 'yesterday', to: '2026-13-01T00:00:00Z' }))).toEqual(['from', 'to']);
    expect(validationFields(() => parseAuditListQuery({ action: "x' OR 1=1 --" }))).toEqual(['action']);
    expect(validationFields(() => parseAuditListQuery({ cursor: 'bogus' }))).toEqual(['cursor']);
    expect(validationFields(() => parseAuditListQuery({ q: 'x'.repeat(201) }))).toEqual(['q']);
  });

  it('refuses a window that ends before it starts', () => {
    expect(validationFields(() => parseAuditListQuery({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }))).toEqual(['to']);
  });

  it('refuses a repeated parameter (Express turns it into an array)', () => {
    expect(validationFields(() => parseAuditListQuery({ action: ['a', 'b'] }))).toEqual(['action']);
  });
});

describe('parseAuditExportQuery', () => {
  it('defaults to CSV and accepts JSON, with the same filters', () => {
    expect(parseAuditExportQuery({}).format).toBe('csv');
    const parsed = parseAuditExportQuery({ format: 'json', action: 'support.' });
    expect(parsed).toEqual({
      format: 'json',
      filter: expect.objectContaining({ action: { match: 'prefix', value: 'support.' } }),
    });
  });

  it('refuses other formats and ignores paging', () => {
    expect(validationFields(() => parseAuditExportQuery({ format: 'xlsx' }))).toEqual(['format']);
    expect(parseAuditExportQuery({ limit: '5000' })).not.toHaveProperty('limit');
  });
});
