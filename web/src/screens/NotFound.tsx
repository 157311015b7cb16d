import { PageHeader } from '../components/PageHeader';
import { Link } from '../lib/router';

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. Go to the <Link to="/catalog">catalog</Link>.
      </p>
    </>
  );
}
