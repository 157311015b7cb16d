import { Field } from '../../components/Field';
import { IdListPicker } from '../../components/IdListPicker';
import { PersonField } from '../../components/PersonField';
import { useDirectory } from '../../lib/directory';
import { isoToLocalInput, localInputToIso } from '../../lib/time';

// A built-in rotation as a form: a time zone, layers (people taking turns in fixed shifts from a start; later
// layers win where they have someone) and overrides (one person for a stretch, over every layer). The server's
// field errors ("layers.1.start") are shown under the field they are about, by its label.

export interface LayerDraft {
  start: string;
  shiftHours: string;
  userIds: string[];
}
export interface OverrideDraft {
  userId: string;
  start: string;
  end: string;
}
export interface RotationDraft {
  timezone: string;
  layers: LayerDraft[];
  overrides: OverrideDraft[];
}

export const emptyLayer = (): LayerDraft => ({
  start: isoToLocalInput(new Date().toISOString()),
  shiftHours: '168',
  userIds: [],
});

export function draftOf(config: Record<string, unknown> | undefined): RotationDraft {
  const layers = Array.isArray(config?.layers) ? (config.layers as Record<string, unknown>[]) : [];
  const overrides = Array.isArray(config?.overrides) ? (config.overrides as Record<string, unknown>[]) : [];
  return {
    timezone:
      typeof config?.timezone === 'string'
        ? config.timezone
        : Intl.DateTimeFormat().resolvedOptions().timeZone,
    layers: layers.length
      ? layers.map((l) => ({
          start: isoToLocalInput(String(l.start ?? '')),
          shiftHours: String(
            typeof l.shiftMinutes === 'number' ? l.shiftMinutes / 60 : Number(l.shiftSeconds ?? 0) / 3600,
          ),
          userIds: Array.isArray(l.userIds) ? (l.userIds as string[]) : [],
        }))
      : [emptyLayer()],
    overrides: overrides.map((o) => ({
      userId: String(o.userId ?? ''),
      start: isoToLocalInput(String(o.start ?? '')),
      end: isoToLocalInput(String(o.end ?? '')),
    })),
  };
}

export function configOf(d: RotationDraft): Record<string, unknown> {
  return {
    timezone: d.timezone.trim(),
    layers: d.layers.map((l) => {
      const hours = Number(l.shiftHours);
      const whole = Number.isFinite(hours) && Math.abs(hours * 60 - Math.round(hours * 60)) < 1e-9;
      return {
        start: localInputToIso(l.start) ?? '',
        ...(whole ? { shiftMinutes: Math.round(hours * 60) } : { shiftSeconds: Math.round(hours * 3600) }),
        userIds: l.userIds,
      };
    }),
    overrides: d.overrides.map((o) => ({
      userId: o.userId,
      start: localInputToIso(o.start) ?? '',
      end: localInputToIso(o.end) ?? '',
    })),
  };
}

/** Server field paths (without "config.") to the keys of this form's fields. */
export function rotationErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const key = path
      .replace(/^config\./, '')
      .replace(/\.shift(Minutes|Seconds)$/, '.shiftHours')
      .replace(/\.userIds\.\d+$/, '.userIds');
    out[key] ??= message;
  }
  return out;
}

interface Props {
  value: RotationDraft;
  onChange: (d: RotationDraft) => void;
  errors: Record<string, string>;
}

export function RotationFields({ value, onChange, errors }: Props) {
  const dir = useDirectory();
  const userOptions = dir.me.abilities.listUsers
    ? [...dir.users.values()].map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
    : null;
  const setLayer = (i: number, patch: Partial<LayerDraft>) =>
    onChange({ ...value, layers: value.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const setOverride = (i: number, patch: Partial<OverrideDraft>) =>
    onChange({ ...value, overrides: value.overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)) });

  return (
    <>
      <Field
        label="Time zone"
        error={errors.timezone}
        hint="Shifts keep their wall-clock time in it, e.g. Europe/Berlin."
      >
        {(p) => (
          <input
            {...p}
            value={value.timezone}
            onChange={(e) => onChange({ ...value, timezone: e.target.value })}
          />
        )}
      </Field>
      {errors.layers && <p className="field-error">{errors.layers}</p>}
      {value.layers.map((l, i) => (
        <fieldset key={i} className="panel">
          <legend>
            Layer {i + 1}
            {value.layers.length > 1 && i > 0 ? ' (wins over the layers above where it has someone)' : ''}
          </legend>
          <div className="form-row">
            <Field label={`Layer ${i + 1}: first shift starts`} error={errors[`layers.${i}.start`]}>
              {(p) => (
                <input
                  {...p}
                  type="datetime-local"
                  value={l.start}
                  onChange={(e) => setLayer(i, { start: e.target.value })}
                />
              )}
            </Field>
            <Field
              label={`Layer ${i + 1}: shift length (hours)`}
              error={errors[`layers.${i}.shiftHours`] ?? errors[`layers.${i}`]}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  min="0.25"
                  step="any"
                  value={l.shiftHours}
                  onChange={(e) => setLayer(i, { shiftHours: e.target.value })}
                />
              )}
            </Field>
          </div>
          <IdListPicker
            label={`Layer ${i + 1}: people, in turn`}
            value={l.userIds}
            onChange={(userIds) => setLayer(i, { userIds })}
            options={userOptions}
            nameOf={dir.userName}
          />
          {errors[`layers.${i}.userIds`] && <p className="field-error">{errors[`layers.${i}.userIds`]}</p>}
          {value.layers.length > 1 && (
            <button
              type="button"
              className="button-quiet"
              onClick={() => onChange({ ...value, layers: value.layers.filter((_, j) => j !== i) })}
            >
              Remove layer {i + 1}
            </button>
          )}
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange({ ...value, layers: [...value.layers, emptyLayer()] })}>
        Add a layer
      </button>
      <h4>Overrides</h4>
      {value.overrides.length === 0 && <p className="muted small">None: the layers decide.</p>}
      {value.overrides.map((o, i) => (
        <fieldset key={i} className="panel">
          <legend>Override {i + 1}</legend>
          <div className="form-row">
            <Field label={`Override ${i + 1}: person`} error={errors[`overrides.${i}.userId`]}>
              {(p) => (
                <PersonField
                  control={p}
                  label={`Override ${i + 1}: person`}
                  value={o.userId}
                  onChange={(userId) => setOverride(i, { userId })}
                />
              )}
            </Field>
            <Field label={`Override ${i + 1}: from`} error={errors[`overrides.${i}.start`]}>
              {(p) => (
                <input
                  {...p}
                  type="datetime-local"
                  value={o.start}
                  onChange={(e) => setOverride(i, { start: e.target.value })}
                />
              )}
            </Field>
            <Field label={`Override ${i + 1}: until`} error={errors[`overrides.${i}.end`]}>
              {(p) => (
                <input
                  {...p}
                  type="datetime-local"
                  value={o.end}
                  onChange={(e) => setOverride(i, { end: e.target.value })}
                />
              )}
            </Field>
          </div>
          <button
            type="button"
            className="button-quiet"
            onClick={() => onChange({ ...value, overrides: value.overrides.filter((_, j) => j !== i) })}
          >
            Remove override {i + 1}
          </button>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          onClick={() =>
            onChange({
              ...value,
              overrides: [
                ...value.overrides,
                { userId: '', start: isoToLocalInput(new Date().toISOString()), end: '' },
              ],
            })
          }
        >
          Add an override
        </button>
      </p>
    </>
  );
}
