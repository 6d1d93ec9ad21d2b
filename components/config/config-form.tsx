'use client';
/**
 * The generated form: one collapsible section per group of fields (general, series, risk, simulator, each strategy
 * instance, recording), a filter over path and description, and per section the number of edits and errors.
 */
import { useMemo, useState } from 'react';
import type { ConfigField } from '../../lib/schemas/config-api';
import { ConfigFieldRow } from './config-field';
import { groupFields, type Edits } from './config-model';

const OPEN_BY_DEFAULT = new Set(['general', 'risk']);

export function ConfigForm({ fields, config, edits, errors, onEdit }: {
  fields: ConfigField[];
  config: Record<string, unknown>;
  edits: Edits;
  errors: Record<string, string>;
  onEdit: (path: string, raw: string | boolean | undefined) => void;
}) {
  const [filter, setFilter] = useState('');
  const sections = useMemo(() => groupFields(fields, config), [fields, config]);
  const q = filter.trim().toLowerCase();
  return (
    <div className="flex flex-col gap-3">
      <input
        type="search"
        placeholder="Filter fields (path or description)…"
        className="w-full rounded-md border border-slate-700 bg-slate-950 px-3 py-1.5 text-sm text-slate-100 focus:border-sky-500 focus:outline-none"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-testid="config-filter"
      />
      {sections.map((s) => {
        const shown = q ? s.fields.filter((f) => f.path.toLowerCase().includes(q) || f.description.toLowerCase().includes(q)) : s.fields;
        if (shown.length === 0) return null;
        const nEdits = s.fields.filter((f) => f.path in edits).length;
        const nErrors = s.fields.filter((f) => errors[f.path]).length;
        return (
          <details
            key={s.key}
            open={q !== '' || nErrors > 0 || OPEN_BY_DEFAULT.has(s.key) ? true : undefined}
            className="rounded-xl border border-slate-800 bg-slate-900/60 px-4 py-2"
            data-testid="config-section"
            data-section={s.key}
          >
            <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2 py-1 text-sm font-semibold uppercase tracking-wide text-slate-400">
              <span>{s.title}</span>
              <span className="text-xs font-normal normal-case text-slate-500">{s.fields.length} fields</span>
              {nEdits > 0 && <span className="text-xs font-normal normal-case text-sky-300">{nEdits} edited</span>}
              {nErrors > 0 && <span className="text-xs font-normal normal-case text-red-400">{nErrors} error{nErrors === 1 ? '' : 's'}</span>}
            </summary>
            <div className="pb-1">
              {shown.map((f) => (
                <ConfigFieldRow key={f.path} field={f} raw={edits[f.path]} error={errors[f.path]} onChange={(raw) => onEdit(f.path, raw)} />
              ))}
            </div>
          </details>
        );
      })}
    </div>
  );
}
