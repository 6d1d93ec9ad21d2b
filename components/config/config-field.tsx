'use client';
/**
 * One config field of the generated form: its name, hot / restart marker, the layer its value came from, the
 * description, range and default, and an input chosen by type (checkbox, select for enums, number, text, JSON).
 * The error under it comes from the client-side schema check or from the server's refusal of the same path.
 */
import type { ConfigField } from '../../lib/schemas/config-api';
import { Badge } from '../ui/badge';
import { fieldLabel, rangeText, rawOf, showValue } from './config-model';

const layerTone = { default: 'neutral', profile: 'info', file: 'warn', env: 'warn', console: 'ok' } as const;

export function ConfigFieldRow({ field, raw, error, onChange }: { field: ConfigField; raw: string | boolean | undefined; error?: string | undefined; onChange: (raw: string | boolean | undefined) => void }) {
  const value = raw ?? rawOf(field.value);
  const edited = raw !== undefined && JSON.stringify(raw) !== JSON.stringify(rawOf(field.value));
  const id = `cfg-${field.path}`;
  const range = rangeText(field);
  return (
    <div
      data-testid="config-field"
      data-path={field.path}
      className={`grid gap-x-4 gap-y-1 border-t border-slate-800/70 py-2 first:border-t-0 md:grid-cols-[minmax(0,1fr)_minmax(0,16rem)] ${edited ? 'bg-sky-500/5' : ''}`}
    >
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-1.5">
          <label htmlFor={id} className="break-all font-mono text-sm text-slate-200">
            {fieldLabel(field.path)}
          </label>
          {field.hot ? (
            <Badge tone="ok">hot</Badge>
          ) : (
            <Badge tone="warn">{field.process ? 'process restart' : 'restart'}</Badge>
          )}
          <Badge tone={layerTone[field.source]} testId="field-source">
            {field.source}
          </Badge>
          {edited && <span className="text-xs text-sky-300">edited</span>}
        </div>
        <p className="mt-0.5 text-xs text-slate-400">{field.description}</p>
        <p className="mt-0.5 text-xs text-slate-500">
          {field.type}
          {range && <> · range <span className="font-mono tabular-nums">{range}</span></>}
          {field.default !== undefined && (
            <>
              {' '}
              · default <span className="break-all font-mono">{showValue(field.default)}</span>
            </>
          )}
        </p>
      </div>
      <div className="min-w-0 self-center">
        <Input id={id} field={field} value={value} invalid={!!error} onChange={(v) => onChange(JSON.stringify(v) === JSON.stringify(rawOf(field.value)) ? undefined : v)} />
        {error && (
          <p className="mt-1 text-xs text-red-400" role="alert" data-testid="field-error">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

function Input({ id, field, value, invalid, onChange }: { id: string; field: ConfigField; value: string | boolean; invalid: boolean; onChange: (v: string | boolean) => void }) {
  const cls = `w-full rounded-md border bg-slate-950 px-2 py-1 font-mono text-sm text-slate-100 ${invalid ? 'border-red-500' : 'border-slate-700'} focus:border-sky-500 focus:outline-none`;
  if (typeof value === 'boolean' || field.type === 'boolean') {
    return (
      <label className="inline-flex items-center gap-2 text-sm text-slate-300">
        <input id={id} type="checkbox" className="h-4 w-4 accent-sky-500" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {value === true ? 'on' : 'off'}
      </label>
    );
  }
  if (field.enum) {
    return (
      <select id={id} className={cls} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid}>
        {field.enum.map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  if (field.type === 'array' || field.type === 'object') {
    return <textarea id={id} className={`${cls} h-16 resize-y`} value={value} spellCheck={false} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />;
  }
  const numeric = field.type === 'number' || field.type === 'integer';
  return (
    <input
      id={id}
      type="text"
      inputMode={numeric ? 'decimal' : 'text'}
      className={`${cls} ${numeric ? 'text-right tabular-nums' : ''}`}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={invalid}
    />
  );
}
