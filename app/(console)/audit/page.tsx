/** /audit: every operator and automatic safety action with actor, time, source and diff. */
import { AuditView } from '../../../components/audit/audit-view';
import { auditSnapshotNow } from '../../../lib/server/audit-route';
import { requireConsoleReader } from '../../../lib/server/console-page-guard';

export const dynamic = 'force-dynamic';

export default async function AuditPage() {
  // Reads protected (CONSOLE_PROTECT_READS): no snapshot for a request without the token or a session.
  await requireConsoleReader();
  return <AuditView initial={auditSnapshotNow()} />;
}
