/**
 * The config page's form model (components/config/config-model.ts): raw inputs become the edited config and the
 * merge patch PATCH /api/config takes; inline errors come from the server's own runtime config schema and, for
 * strategy params (a plain record in that schema), from the field metadata's ranges.
 */
import { describe, expect, it } from 'vitest';
import { describeFields } from '../../../bot/config';
import { buildEdit, clientIssues, effectiveEdits, groupFields, rangeText } from '../../../components/config/config-model';
import { defaultRuntimeConfig, runtimeConfigSchema } from '../../../lib/schemas/config';

const config = defaultRuntimeConfig();
const fields = describeFields(config, { profile: { name: null, from: 'none' }, file: {}, env: {}, console: {} });
const doc = config as unknown as Record<string, unknown>;
const hammer = config.strategies.findIndex((s) => s.id === 'hammer');

describe('config form model', () => {
  it('patches plain fields as a nested object and list items as the whole edited list', () => {
    const changed = effectiveEdits(fields, { 'risk.maxUsdPerTrade': ' 40 ', [`strategies.${hammer}.params.dMin`]: '7', 'series.1.enabled': false, heartbeatMs: '1000' });
    expect([...changed.keys()].sort()).toEqual(['risk.maxUsdPerTrade', 'series.1.enabled', `strategies.${hammer}.params.dMin`].sort()); // 1000 is the current value: no edit
    const { edited, patch } = buildEdit(doc, changed);
    expect(patch.risk).toEqual({ maxUsdPerTrade: 40 });
    expect((patch.series as { enabled: boolean }[]).map((s) => s.enabled)).toEqual([true, false]);
    expect((patch.strategies as { id: string; params: Record<string, unknown> }[])[hammer]).toMatchObject({ id: 'hammer', params: { dMin: 7 } });
    expect(Object.keys(patch).sort()).toEqual(['risk', 'series', 'strategies']);
    expect(runtimeConfigSchema.parse(edited).risk.maxUsdPerTrade).toBe(40);
    expect(config.risk.maxUsdPerTrade).toBe(50); // the shown config is not touched
    expect(clientIssues(edited, changed)).toEqual({});
  });

  it('names the field for a bad value, from the schema and from params ranges', () => {
    const changed = effectiveEdits(fields, { 'risk.maxUsdPerTrade': '-5', 'risk.maxTradesPerHour': '1.5', heartbeatMs: 'abc', [`strategies.${hammer}.params.maxEntryPrice`]: '1.5' });
    const issues = clientIssues(buildEdit(doc, changed).edited, changed);
    expect(Object.keys(issues).sort()).toEqual(['heartbeatMs', 'risk.maxTradesPerHour', 'risk.maxUsdPerTrade', `strategies.${hammer}.params.maxEntryPrice`].sort());
    expect(issues[`strategies.${hammer}.params.maxEntryPrice`]).toMatch(/0\.99/);
  });

  it('groups fields by section with one section per strategy instance', () => {
    const sections = groupFields(fields, doc);
    expect(sections[0]!.key).toBe('general');
    expect(sections.map((s) => s.key)).toContain(`strategies.${hammer}`);
    expect(sections.reduce((n, s) => n + s.fields.length, 0)).toBe(fields.length);
    expect(rangeText(fields.find((f) => f.path === 'risk.maxUsdPerTrade')!)).toBe('(0, 100000]');
  });
});
