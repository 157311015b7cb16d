import { useState } from 'react';
import { api, ok } from '../../api/client';
import type { Connection } from '../../api/types';
import { ErrorNote } from '../../components/Notice';

// "Test connection": Latch connects with the saved settings and checks the privileges it needs; the system's
// answer is shown under the button. A refusal is an answer (ok: false), not an error.

type Result = { ok: boolean; detail: string };

export function useConnectionTest(connection: Connection) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>();
  const [error, setError] = useState<unknown>();
  async function run() {
    setBusy(true);
    setResult(undefined);
    setError(undefined);
    try {
      const path = { id: connection.id };
      setResult(await ok(api.POST('/api/v1/connections/{id}/test', { params: { path } })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, result, error };
}

type Tested = ReturnType<typeof useConnectionTest>;

export function TestButton({ test, name, primary }: { test: Tested; name?: string; primary?: boolean }) {
  return (
    <button
      type="button"
      className={primary ? 'button-primary' : undefined}
      aria-label={name ? `Test connection to ${name}` : undefined}
      onClick={() => void test.run()}
      disabled={test.busy}
    >
      {test.busy ? 'Testing…' : 'Test connection'}
    </button>
  );
}

/** What the test found; a live region, so the answer is read out when it arrives. */
export function TestOutcome({ test }: { test: Tested }) {
  const { result, error } = test;
  return (
    <>
      <div role="status" className="test-outcome">
        {result && (
          <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`}>
            <p>
              <strong>{result.ok ? 'The connection works.' : 'The connection does not work.'}</strong>{' '}
              {result.detail}
            </p>
          </div>
        )}
      </div>
      <ErrorNote error={error} />
    </>
  );
}

/** The button with its outcome under it. */
export function ConnectionTest({ connection, primary }: { connection: Connection; primary?: boolean }) {
  const test = useConnectionTest(connection);
  return (
    <div>
      <TestButton test={test} primary={primary} />
      <TestOutcome test={test} />
    </div>
  );
}
