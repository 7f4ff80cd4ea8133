import { Link } from 'react-router';

export function NotFoundPage({ message = 'There is nothing at this address.' }: { message?: string }) {
  return (
    <section className="page-status">
      <h1>Not found</h1>
      <p>{message}</p>
      <Link to="/">Back to the library</Link>
    </section>
  );
}
