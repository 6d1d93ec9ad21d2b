/** /audit: every operator and automatic safety action with actor, time, source and diff. */
import { AuditView } from '../../../components/audit/audit-view';
import { auditSnapshotNow } from '../../../lib/server/audit-route';

export const dynamic = 'force-dynamic';

export default function AuditPage() {
  return <AuditView initial={auditSnapshotNow()} />;
}
