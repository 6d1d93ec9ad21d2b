/** /config: the generated config form with review, apply, profiles, history with revert, and the what-if. */
import { ConfigView } from '../../../components/config/config-view';

export const dynamic = 'force-dynamic';

export default function ConfigPage() {
  return <ConfigView />;
}
