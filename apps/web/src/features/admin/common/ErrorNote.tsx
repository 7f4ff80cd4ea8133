import type { ApiRequestError } from '../../../lib/api';

/** An API error as the admin sees it: the message, and the code for support. */
export function ErrorNote({ error, prefix }: { error: ApiRequestError; prefix?: string }) {
  return (
    <p role="alert" className="error-text" data-code={error.code}>
      {prefix ? `${prefix}: ` : ''}
      {error.message} <span className="muted">({error.code})</span>
    </p>
  );
}
