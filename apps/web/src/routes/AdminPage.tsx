import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { useMe } from '../app/session';
import { AuditLog } from '../features/admin/audit/AuditLog';
import { MembersPage } from '../features/admin/members/MembersPage';
import { AddTargetForm } from '../features/admin/storage/AddTargetForm';
import { StorageOverview } from '../features/admin/storage/StorageOverview';
import { TargetPage } from '../features/admin/storage/TargetPage';
import { UsagePage } from '../features/admin/usage/UsagePage';
import { useTenantStorage } from '../app/tenant-storage';
import '../features/admin/admin.css';

const SECTIONS = [
  { to: 'storage', label: 'Storage' },
  { to: 'audit', label: 'Audit log' },
  { to: 'usage', label: 'Usage' },
  { to: 'members', label: 'Members' },
] as const;

function NewTarget() {
  const navigate = useNavigate();
  const shell = useTenantStorage();
  return (
    <AddTargetForm
      onCreated={(target) => {
        shell.refresh();
        void navigate(`/admin/storage/${target.id}`);
      }}
    />
  );
}

/** The studio admin console: storage (targets, setup kit, connection test, activation, migration), audit log, usage, members. */
export function AdminPage() {
  const me = useMe();
  return (
    <section className="admin-page" aria-labelledby="admin-heading">
      <h1 id="admin-heading">Studio administration</h1>
      <p className="muted">Settings for {me.tenant?.name}. Only studio admins see this area.</p>
      <nav aria-label="Administration" className="admin-tabs">
        {SECTIONS.map((s) => (
          <NavLink key={s.to} to={`/admin/${s.to}`}>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <div className="admin-body">
        <Routes>
          <Route index element={<Navigate to="storage" replace />} />
          <Route path="storage" element={<StorageOverview />} />
          <Route path="storage/new" element={<NewTarget />} />
          <Route path="storage/:targetId" element={<TargetPage />} />
          <Route path="audit" element={<AuditLog />} />
          <Route path="usage" element={<UsagePage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="*" element={<Navigate to="storage" replace />} />
        </Routes>
      </div>
    </section>
  );
}
