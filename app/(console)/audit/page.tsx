/** /audit: every operator and automatic safety action with actor, time, source and diff. */
import { AuditView } from '../../../components/audit/audit-view';

export const dynamic = 'force-dynamic';

export default function AuditPage() {
  return <AuditView />;
}
