/** /config: the generated config form with review, apply, profiles, history with revert, and the what-if. */
import { ConfigView, type ConfigInitial } from '../../../components/config/config-view';
import { configResponseSchema, historyResponseSchema, profilesResponseSchema } from '../../../components/config/config-model';
import { configSnapshotNow } from '../../../lib/server/config-routes';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

/** The first render carries the config, its history and profiles (parsed with the page's own schemas). */
function initialConfig(): ConfigInitial | null {
  const snap = configSnapshotNow();
  if (!snap) return null;
  const config = configResponseSchema.safeParse(snap.config);
  const history = historyResponseSchema.safeParse(snap.history);
  const profiles = profilesResponseSchema.safeParse(snap.profiles);
  return config.success && history.success && profiles.success ? { config: config.data, history: history.data, profiles: profiles.data } : null;
}

export default async function ConfigPage() {
  // Reads protected (CONSOLE_PROTECT_READS): no snapshot for a request without the token or a session.
  await requireConsoleReader();
  return <ConfigView initial={initialConfig()} />;
}
