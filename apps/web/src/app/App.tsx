import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LibraryPage } from '../routes/LibraryPage';
import { LoginPage } from '../routes/LoginPage';
import { MediaPage } from '../routes/MediaPage';
import { NotFoundPage } from '../routes/NotFoundPage';
import { AppShell } from './AppShell';
import { RequireAuth, RequireRole } from './guards';
import { isStaff, isTenantAdmin, SessionProvider, useMe } from './session';

// Code-split: most users never open these, so they stay out of the first download.
const AdminPage = lazy(() => import('../routes/AdminPage').then((m) => ({ default: m.AdminPage })));
const SupportPage = lazy(() => import('../routes/SupportPage').then((m) => ({ default: m.SupportPage })));

/** Staff without a studio have no library: their home is the support area. */
function Home({ uploadOpen = false }: { uploadOpen?: boolean }) {
  const me = useMe();
  if (!me.tenant) return me.staffRole ? <Navigate to="/support" replace /> : <NotFoundPage message="Your account belongs to no studio." />;
  return <LibraryPage uploadOpen={uploadOpen} />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="upload" element={<Home uploadOpen />} />
        <Route path="media/:id" element={<MediaPage />} />
        <Route
          path="admin/*"
          element={
            <RequireRole allow={isTenantAdmin} what="studio admins">
              <AdminPage />
            </RequireRole>
          }
        />
        <Route
          path="support"
          element={
            <RequireRole allow={isStaff} what="Isola staff">
              <SupportPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The app without its router (main.tsx wraps it in a BrowserRouter, tests in a MemoryRouter). */
export function App() {
  return (
    <SessionProvider>
      <AppRoutes />
    </SessionProvider>
  );
}
