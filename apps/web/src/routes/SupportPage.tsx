import { useMe } from '../app/session';
import { SystemStatus } from '../features/health/SystemStatus';

/** Placeholder for Isola staff: platform health now, studio look-ups later. */
export function SupportPage() {
  const me = useMe();
  return (
    <section aria-labelledby="support-heading">
      <h1 id="support-heading">Support</h1>
      <p className="muted">
        Signed in as {me.staffRole === 'admin' ? 'a platform admin' : 'support staff'}. Studio look-ups are coming; studios’ media stay out
        of reach from here.
      </p>
      <SystemStatus />
    </section>
  );
}
