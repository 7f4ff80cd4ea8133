import type { AuditEventDto } from '@isola/contracts';
import { AUDIT_CSV_COLUMNS, encodeAuditCsvHeader, encodeAuditCsvRow, encodeCsvCell, encodeCsvRow } from './encode-audit-csv.js';

const event: AuditEventDto = {
  id: '0b0e0d0c-1111-4222-8333-444455556666',
  createdAt: '2026-01-02T03:04:05.006Z',
  action: 'media.link',
  actorKind: 'user',
  actor: { id: '9a9a9a9a-1111-4222-8333-444455556666', email: 'admin@studio.test' },
  purpose: 'link',
  sessionName: 'isola-link-abc',
  storageTargetId: '7c7c7c7c-1111-4222-8333-444455556666',
  objectKeys: ['tenants/x/media/1/source', 'tenants/x/media/1/poster.jpg'],
  expiresAt: '2026-01-02T03:19:05.006Z',
  ip: '::1',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
  details: { note: 'a "quoted", value' },
  correlationId: 'req-1',
};

describe('encodeCsvCell (RFC 4180 + formula guard)', () => {
  it('leaves plain values alone and writes null as an empty cell', () => {
    expect(encodeCsvCell('media.link')).toBe('media.link');
    expect(encodeCsvCell(null)).toBe('');
    expect(encodeCsvCell('')).toBe('');
  });

  it('quotes cells with commas, quotes and line breaks, doubling inner quotes', () => {
    expect(encodeCsvCell('a,b')).toBe('"a,b"');
    expect(encodeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(encodeCsvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(encodeCsvCell('line1\r\nline2')).toBe('"line1\r\nline2"');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(encodeCsvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(encodeCsvCell('+1+2')).toBe("'+1+2");
    expect(encodeCsvCell('-2+3')).toBe("'-2+3");
    expect(encodeCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(encodeCsvCell('\t=1')).toBe("'\t=1");
    expect(encodeCsvCell('\r=1')).toBe('"\'\r=1"');
    // only a leading trigger matters
    expect(encodeCsvCell('a=b')).toBe('a=b');
    expect(encodeCsvCell('2026-01-02T03:04:05.006Z')).toBe('2026-01-02T03:04:05.006Z');
  });
});

describe('encodeCsvRow', () => {
  it('joins cells with commas and ends the record with CRLF', () => {
    expect(encodeCsvRow(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });
});

describe('audit CSV', () => {
  it('has a header row naming every column', () => {
    expect(encodeAuditCsvHeader()).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    expect(AUDIT_CSV_COLUMNS).toHaveLength(15);
  });

  it('writes one record per event: keys joined by a space, details as JSON, actor split in id and email', () => {
    expect(encodeAuditCsvRow(event)).toBe(
      [
        event.id,
        event.createdAt,
        'media.link',
        'user',
        event.actor!.id,
        'admin@studio.test',
        'link',
        'isola-link-abc',
        event.storageTargetId,
        'tenants/x/media/1/source tenants/x/media/1/poster.jpg',
        event.expiresAt,
        '::1',
        'Mozilla/5.0 (X11; Linux x86_64)',
        '"{""note"":""a \\""quoted\\"", value""}"',
        'req-1',
      ].join(',') + '\r\n',
    );
  });

  it('leaves empty cells for a system event without actor, keys or details', () => {
    const row = encodeAuditCsvRow({ ...event, actorKind: 'system', actor: null, objectKeys: [], details: null, purpose: null });
    expect(row.split(',')).toHaveLength(15);
    expect(row).toContain(',system,,,,');
  });

  it('guards attacker-controlled fields such as the user agent and object keys', () => {
    const row = encodeAuditCsvRow({ ...event, userAgent: '=cmd|/C calc!A0', objectKeys: ['-evil', 'ok'] });
    expect(row).toContain(",'=cmd|/C calc!A0,");
    expect(row).toContain(",'-evil ok,");
  });
});
