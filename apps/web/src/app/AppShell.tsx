import { Suspense, useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { RevokedBanner } from '../features/storage-status/RevokedBanner';
import { UploadsProvider, useUploads } from '../features/upload/UploadsProvider';
import { isStaff, isTenantAdmin, roleLabels, useMe, useSession } from './session';
import { revokedTargets, TenantStorageProvider, useTenantStorage } from './tenant-storage';
import { useStorageMode } from './useStorageMode';

const STORAGE_LABELS = {
  hosted: { text: 'Hosted storage', title: 'Media live in Isola’s platform bucket' },
  isolated: { text: 'Own bucket', title: 'Media live in your studio’s own bucket, reached with short-lived credentials' },
} as const;

function UploadIndicator() {
  const { summary } = useUploads();
  if (summary.uploading > 0) {
    return (
      <Link to="/upload" className="upload-indicator">
        Uploading {summary.uploading} {summary.uploading === 1 ? 'file' : 'files'} · {summary.percent}%
      </Link>
    );
  }
  if (summary.interrupted > 0) {
    return (
      <Link to="/upload" className="upload-indicator">
        {summary.interrupted === 1 ? '1 upload' : `${summary.interrupted} uploads`} to resume
      </Link>
    );
  }
  return null;
}

function SignOutButton() {
  const { signOut } = useSession();
  const { summary, cancelAll } = useUploads();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    if (summary.uploading > 0 && !window.confirm('Signing out cancels the uploads in progress. Sign out anyway?')) return;
    setBusy(true);
    // While still signed in, so the multipart uploads are aborted in the bucket and nothing is kept in this browser.
    await cancelAll().catch(() => undefined);
    try {
      await signOut();
    } catch {
      // The session is dropped locally whatever the API answered.
    }
    await navigate('/login', { replace: true });
  };
  return (
    <button type="button" className="button button-quiet" onClick={() => void onClick()} disabled={busy}>
      Sign out
    </button>
  );
}

/** Studio admins, on every page: Isola lost access to one of the studio's buckets. */
function StorageAlerts() {
  const { targets, refresh } = useTenantStorage();
  return <RevokedBanner targets={revokedTargets(targets)} onChecked={refresh} />;
}

/** The signed-in frame: who and where you are (studio, role, storage), the main navigation, the page. */
export function AppShell() {
  const me = useMe();
  return (
    <TenantStorageProvider me={me}>
      <Shell />
    </TenantStorageProvider>
  );
}

function Shell() {
  const me = useMe();
  const storageMode = useStorageMode(me);
  const storage = storageMode ? STORAGE_LABELS[storageMode] : null;
  return (
    <UploadsProvider userId={me.user.id}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Isola
        </Link>
        <nav aria-label="Main" className="main-nav">
          {me.tenant && (
            <>
              <NavLink to="/" end>
                Library
              </NavLink>
              <NavLink to="/upload">Upload</NavLink>
            </>
          )}
          {isTenantAdmin(me) && <NavLink to="/admin">Admin</NavLink>}
          {isStaff(me) && <NavLink to="/support">Support</NavLink>}
        </nav>
        <div className="topbar-end">
          <UploadIndicator />
          <div className="identity" aria-label="Current studio">
            <span className="studio-name">{me.tenant?.name ?? 'Isola staff'}</span>
            {roleLabels(me).map((label) => (
              <span key={label} className="badge">
                {label}
              </span>
            ))}
            {storage && (
              <span className="badge badge-accent" title={storage.title}>
                {storage.text}
              </span>
            )}
          </div>
          <span className="user-name muted" title={me.user.email}>
            {me.user.displayName || me.user.email}
          </span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        <StorageAlerts />
        <Suspense
          fallback={
            <p className="page-status" aria-busy="true">
              Loading…
            </p>
          }
        >
          <Outlet />
        </Suspense>
      </main>
    </UploadsProvider>
  );
}
