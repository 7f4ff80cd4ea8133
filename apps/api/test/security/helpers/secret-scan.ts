/**
 * Finds secrets in captured text (log lines, response headers and bodies, database rows), in every
 * form code tends to write them: as is, URL-encoded (encodeURIComponent, and AWS's stricter
 * escaping used in presigned URLs), and JSON-escaped.
 */

export interface Secret {
  /** What it is, for the report (never the value itself). */
  label: string;
  value: string;
}

export interface CapturedText {
  /** Where the text came from: `log`, `response 3: POST /api/auth/login`, `audit row`… */
  source: string;
  text: string;
}

export interface SecretHit {
  secret: string;
  source: string;
  form: string;
}

/** Secrets shorter than this would match by chance; the values scanned for are all far longer. */
const MIN_SECRET_LENGTH = 12;

const awsEscape = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The distinct forms a value may take in text. */
export function formsOf(value: string): Array<[form: string, text: string]> {
  const forms: Array<[string, string]> = [
    ['raw', value],
    ['encodeURIComponent', encodeURIComponent(value)],
    ['AWS URI escape', awsEscape(value)],
    ['JSON string', JSON.stringify(value).slice(1, -1)],
    ['lower-case URL escape', encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
  ];
  const seen = new Set<string>();
  return forms.filter(([, text]) => (seen.has(text) ? false : (seen.add(text), true)));
}

/** Every (secret, source, form) found. Throws on a secret too short to scan for meaningfully. */
export function findSecrets(texts: readonly CapturedText[], secrets: readonly Secret[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const secret of secrets) {
    if (secret.value.length < MIN_SECRET_LENGTH) throw new RangeError(`"${secret.label}" is too short to scan for`);
    const forms = formsOf(secret.value);
    for (const { source, text } of texts) {
      const form = forms.find(([, f]) => text.includes(f));
      if (form) hits.push({ secret: secret.label, source, form: form[0] });
    }
  }
  return hits;
}

/** Removes the allowed occurrences of `value`'s forms that follow `prefix` (e.g. `X-Amz-Security-Token=`). */
export function withoutAllowed(text: string, prefix: string, value: string): string {
  let out = text;
  for (const [, form] of formsOf(value)) out = out.split(`${prefix}${form}`).join(`${prefix}[allowed]`);
  return out;
}
