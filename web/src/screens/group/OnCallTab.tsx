import { useEffect, useState } from 'react';
import { api, ok } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { Group } from '../../api/types';
import { Empty, ErrorNote, Loading, Success } from '../../components/Notice';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/use-load';

// Which on-call schedules feed this group: whoever is on call becomes a member for their shift.

export function OnCallTab({ group }: { group: Group }) {
  const manage = group.abilities.setOnCallSchedules;
  const data = useLoad(async () => {
    const schedules = await ok(api.GET('/api/v1/on-call-schedules', { params: { query: { limit: 500 } } }));
    const linked = await ok(
      api.GET('/api/v1/groups/{id}/on-call-schedules', { params: { path: { id: group.id } } }),
    ).catch(() => ({ scheduleIds: [] as string[], graceMinutes: 0 }));
    return { schedules: schedules.items, linked: linked.scheduleIds ?? [] };
  }, [group.id]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => setChosen(data.data?.linked ?? []), [data.data]);

  const unavailable = data.error instanceof ApiError && data.error.status === 404;
  async function save() {
    setSaved(false);
    setError(undefined);
    try {
      const body = { scheduleIds: chosen };
      await ok(
        api.PUT('/api/v1/groups/{id}/on-call-schedules', { params: { path: { id: group.id } }, body }),
      );
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section aria-labelledby="oncall-heading">
      <h2 id="oncall-heading">On-call schedules</h2>
      <p className="muted">
        Whoever is on call in a chosen schedule is a member of {group.name} for their shift.
      </p>
      {unavailable ? (
        <Empty>On-call schedules are not available on this server.</Empty>
      ) : (
        <ErrorNote error={data.error} />
      )}
      {data.loading && !data.data && <Loading />}
      {data.data && data.data.schedules.length === 0 && (
        <Empty>
          There are no schedules yet. Add one under <Link to="/settings/on-call">Settings</Link>.
        </Empty>
      )}
      {data.data && data.data.schedules.length > 0 && (
        <fieldset className="choices" disabled={!manage}>
          <legend>Schedules feeding this group</legend>
          {data.data.schedules.map((s) => (
            <label key={s.id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(s.id)}
                onChange={(e) =>
                  setChosen(e.target.checked ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))
                }
              />
              {s.name} <span className="muted small">({s.provider})</span>
            </label>
          ))}
        </fieldset>
      )}
      {manage && data.data && data.data.schedules.length > 0 && (
        <button type="button" className="button-primary" onClick={save}>
          Save schedules
        </button>
      )}
      <ErrorNote error={error} />
      {saved && <Success>Saved. Members follow the schedules from now on.</Success>}
    </section>
  );
}
