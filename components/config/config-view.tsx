'use client';
/**
 * The config page's client root. Reads GET /api/config (live: refetched when the bus says `config.changed`), keeps
 * the operator's edits, validates the edited config with the server's own zod schema on every keystroke, and walks
 * a change through review (PATCH dry run: the diff), apply (PATCH with expectVersion: a stale page gets a clear
 * conflict, never a blind overwrite), history with one-click revert, profiles, and the what-if.
 *
 * Invariants: nothing is sent while a field has a client-side error; a refusal from the server is shown at the
 * field it names (or above the form when it names none); edits survive a live refetch, and are cleared only by a
 * successful apply or by the operator.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { useEffect, useMemo, useState } from 'react';
import { configApplyResultSchema, type ConfigApplyResult } from '../../lib/schemas/config-api';
import { ApiCallError, apiCall } from '../live/api-client';
import { useBotEvents } from '../live/bot-events';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { ConfigForm } from './config-form';
import { ConfigSummary } from './config-summary';
import { buildEdit, clientIssues, configResponseSchema, effectiveEdits, historyResponseSchema, profilesResponseSchema, type Edits } from './config-model';
import { DiffReview } from './diff-review';
import { HistoryCard } from './history-card';
import { ProfilesCard } from './profiles-card';
import { WhatIfCard } from './what-if-card';

const KEYS = { config: ['config'], history: ['config-history'], profiles: ['config-profiles'] } as const;

function errText(err: unknown): string {
  if (err instanceof ApiCallError && err.code === 'conflict') return `${err.message}`;
  if (err instanceof ApiCallError && err.fields.length) return `${err.message}: ${err.fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`;
  return err instanceof Error ? err.message : String(err);
}

/** The server-rendered first answers (parsed with the same schemas as the fetches). */
export interface ConfigInitial {
  config: z.infer<typeof configResponseSchema>;
  history: z.infer<typeof historyResponseSchema>;
  profiles: z.infer<typeof profilesResponseSchema>;
}

export function ConfigView({ initial = null }: { initial?: ConfigInitial | null }) {
  const qc = useQueryClient();
  const { subscribe } = useBotEvents();
  const cfgQ = useQuery({ queryKey: KEYS.config, queryFn: async () => configResponseSchema.parse(await apiCall('/api/config')), initialData: initial?.config, initialDataUpdatedAt: 0 });
  const histQ = useQuery({ queryKey: KEYS.history, queryFn: async () => historyResponseSchema.parse(await apiCall('/api/config/history?limit=50')), initialData: initial?.history, initialDataUpdatedAt: 0 });
  const profQ = useQuery({ queryKey: KEYS.profiles, queryFn: async () => profilesResponseSchema.parse(await apiCall('/api/config/profiles')), initialData: initial?.profiles, initialDataUpdatedAt: 0 });
  const [edits, setEdits] = useState<Edits>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [reason, setReason] = useState('edited in the console');
  const [review, setReview] = useState<{ result: ConfigApplyResult; version: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(
    () =>
      subscribe((e) => {
        if (e.type !== 'config.changed') return;
        for (const k of Object.values(KEYS)) void qc.invalidateQueries({ queryKey: k });
      }),
    [subscribe, qc],
  );

  const data = cfgQ.data;
  const model = useMemo(() => {
    if (!data) return null;
    const changed = effectiveEdits(data.fields, edits);
    const { edited, patch } = buildEdit(data.config, changed);
    return { changed, patch, issues: changed.size ? clientIssues(edited, changed) : {} };
  }, [data, edits]);
  const errors = { ...serverErrors, ...(model?.issues ?? {}) };
  const blocked = Object.keys(model?.issues ?? {}).length > 0;

  const showRefusal = (err: unknown) => {
    if (err instanceof ApiCallError && err.fields.length) {
      const known = new Set(data?.fields.map((f) => f.path));
      setServerErrors(Object.fromEntries(err.fields.filter((f) => known.has(f.path)).map((f) => [f.path, f.message])));
      const elsewhere = err.fields.filter((f) => !known.has(f.path));
      setFormError(elsewhere.length ? `${err.message}: ${elsewhere.map((f) => `${f.path}: ${f.message}`).join('; ')}` : err.message);
    } else setFormError(errText(err));
  };

  const dryRun = useMutation({
    mutationFn: async () => configApplyResultSchema.parse(await apiCall('/api/config', { method: 'PATCH', body: { patch: model!.patch, reason, dryRun: true, expectVersion: data!.version } })),
    onMutate: () => {
      setFormError(null);
      setNotice(null);
    },
    onSuccess: (result) => setReview({ result, version: data!.version }),
    onError: showRefusal,
  });
  const apply = useMutation({
    mutationFn: async () => configApplyResultSchema.parse(await apiCall('/api/config', { method: 'PATCH', body: { patch: model!.patch, reason, expectVersion: review!.version } })),
    onSuccess: (r) => {
      setEdits({});
      setReview(null);
      setServerErrors({});
      setNotice(`Applied version ${r.version}${r.hot.length ? ` · hot: ${r.hot.join(', ')}` : ''}${r.pending.length ? ` · pending restart: ${r.pending.map((c) => c.path).join(', ')}` : ''}`);
      for (const k of Object.values(KEYS)) void qc.invalidateQueries({ queryKey: k });
    },
    onError: (err) => {
      setReview(null);
      showRefusal(err);
    },
  });
  const revert = useMutation({
    mutationFn: async (version: number) =>
      configApplyResultSchema.parse(await apiCall('/api/config/revert', { method: 'POST', body: { version, reason: 'one-click revert from the console', expectVersion: data!.version } })),
    onSuccess: (r) => {
      setNotice(`Reverted: now version ${r.version}`);
      for (const k of Object.values(KEYS)) void qc.invalidateQueries({ queryKey: k });
    },
  });
  const profile = useMutation({
    mutationFn: async (name: string) =>
      configApplyResultSchema.parse(await apiCall('/api/config/profile', { method: 'POST', body: { profile: name, reason: 'profile chosen in the console', expectVersion: data!.version } })),
    onSuccess: (r) => {
      setNotice(`Profile applied: now version ${r.version}`);
      for (const k of Object.values(KEYS)) void qc.invalidateQueries({ queryKey: k });
    },
  });

  const onEdit = (path: string, raw: string | boolean | undefined) => {
    setReview(null);
    setServerErrors(({ [path]: _gone, ...rest }) => rest);
    setEdits(({ [path]: _old, ...rest }) => (raw === undefined ? rest : { ...rest, [path]: raw }));
  };

  if (cfgQ.isPending) return <p className="text-sm text-slate-500" data-testid="config-loading">Loading the configuration…</p>;
  if (cfgQ.isError || !data || !model) return <p className="text-sm text-red-400" data-testid="config-error">Could not read the configuration: {errText(cfgQ.error)}</p>;
  const nChanges = model.changed.size;
  const reasonOk = reason.trim().length >= 3;

  return (
    <div className="flex flex-col gap-4" data-testid="config-page" data-version={data.version}>
      <ConfigSummary data={data} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_28rem]">
        <div className="min-w-0">
          <ConfigForm fields={data.fields} config={data.config} edits={edits} errors={errors} onEdit={onEdit} />
        </div>
        <div className="flex min-w-0 flex-col gap-4 xl:sticky xl:top-4 xl:self-start">
          <Card title="Your changes" testId="changes-card">
            <div className="flex flex-col gap-2">
              <p className="text-sm text-slate-300" data-testid="changes-count">
                {nChanges === 0 ? 'No edits yet: change a field to start.' : `${nChanges} field${nChanges === 1 ? '' : 's'} edited`}
                {blocked && <span className="text-red-400"> · {Object.keys(model.issues).length} error(s)</span>}
              </p>
              <label className="flex flex-col text-xs text-slate-400">
                Reason (journaled with the version)
                <input
                  className={`mt-1 rounded-md border bg-slate-950 px-2 py-1 text-sm text-slate-100 ${reasonOk ? 'border-slate-700' : 'border-red-500'}`}
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  data-testid="change-reason"
                />
              </label>
              {formError && <p className="text-sm text-red-400" role="alert" data-testid="form-error">{formError}</p>}
              {notice && <p className="text-sm text-emerald-300" data-testid="config-notice">{notice}</p>}
              {review ? (
                <DiffReview result={review.result} applying={apply.isPending} onConfirm={() => apply.mutate()} onCancel={() => setReview(null)} />
              ) : (
                <div className="flex flex-wrap gap-2">
                  <Button variant="primary" data-testid="review-button" disabled={nChanges === 0 || blocked || !reasonOk} busy={dryRun.isPending} onClick={() => dryRun.mutate()}>
                    Review changes
                  </Button>
                  <Button disabled={nChanges === 0 && Object.keys(edits).length === 0} onClick={() => (setEdits({}), setServerErrors({}), setFormError(null))}>
                    Discard edits
                  </Button>
                </div>
              )}
              {formError && /version/.test(formError) && (
                <Button onClick={() => (setFormError(null), void qc.invalidateQueries({ queryKey: KEYS.config }))}>Reload the configuration</Button>
              )}
            </div>
          </Card>
          <ProfilesCard
            data={profQ.data}
            loading={profQ.isPending}
            error={profQ.isError ? errText(profQ.error) : null}
            applying={profile.isPending ? (profile.variables ?? null) : null}
            applyError={profile.isError ? errText(profile.error) : null}
            onApply={(name) => profile.mutate(name)}
          />
        </div>
      </div>
      <WhatIfCard patch={model.patch} changes={nChanges} blocked={blocked} onFieldErrors={(f) => showRefusal(new ApiCallError(422, 'validation_failed', 'the edit is refused', f))} />
      <HistoryCard
        versions={histQ.data?.versions}
        current={data.version}
        loading={histQ.isPending}
        error={histQ.isError ? errText(histQ.error) : null}
        reverting={revert.isPending ? (revert.variables ?? null) : null}
        revertError={revert.isError ? errText(revert.error) : null}
        onRevert={(v) => revert.mutate(v)}
      />
    </div>
  );
}
