import { useMe } from '../app/session';

/** Placeholder for the studio admin area (storage targets, migrations, audit log, usage come next). */
export function AdminPage() {
  const me = useMe();
  return (
    <section className="admin-page" aria-labelledby="admin-heading">
      <h1 id="admin-heading">Studio administration</h1>
      <p className="muted">Settings for {me.tenant?.name}. Only studio admins see this area.</p>
      <div className="admin-grid">
        <article className="card">
          <h2>Storage</h2>
          <p className="muted">Connect your own bucket, verify it and move your media there. Coming soon.</p>
        </article>
        <article className="card">
          <h2>Audit log</h2>
          <p className="muted">Every credential and link Isola minted for your studio.</p>
          <p>
            <a href="/api/tenant/audit/export?format=csv">Download the audit log (CSV)</a>
          </p>
        </article>
        <article className="card">
          <h2>Usage</h2>
          <p className="muted">Storage and transfer per month. Coming soon.</p>
        </article>
      </div>
    </section>
  );
}
