import { SystemStatus } from '../features/health/SystemStatus';

export function App() {
  return (
    <>
      <header className="topbar">
        <span className="brand">Isola</span>
        <span className="muted">Media platform for studios</span>
      </header>
      <main className="page">
        <h1>Welcome to Isola</h1>
        <p className="muted">Your media stays in your studio&apos;s own bucket; Isola holds no keys to it.</p>
        <SystemStatus />
      </main>
    </>
  );
}
