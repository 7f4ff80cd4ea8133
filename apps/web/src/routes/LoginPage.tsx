import type { MeResponse } from '@isola/contracts';
import { type FormEvent, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { LoginRedirectState } from '../app/guards';
import { useSession } from '../app/session';
import { toApiRequestError } from '../lib/useApiResource';
import '../features/auth/login.css';

/** Back where the guard stopped the user, or home (staff without a studio: the support area). */
function destination(me: MeResponse, from: string | undefined): string {
  if (from && !from.startsWith('/login')) return from;
  return me.tenant ? '/' : '/support';
}

export function LoginPage() {
  const { session, signIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const from = (location.state as LoginRedirectState | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (session.status === 'authenticated' && !busy) return <Navigate to={destination(session.me, from)} replace />;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(email.trim(), password);
      await navigate(destination(me, from), { replace: true });
    } catch (err) {
      setError(toApiRequestError(err).message);
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card card" onSubmit={(e) => void onSubmit(e)} aria-labelledby="login-heading" noValidate>
        <span className="brand">Isola</span>
        <h1 id="login-heading">Sign in to your studio</h1>
        <div className="field">
          <label htmlFor="login-email">Email</label>
          <input
            id="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'login-error' : undefined}
          />
        </div>
        {error && (
          <p id="login-error" role="alert" className="error-text">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
