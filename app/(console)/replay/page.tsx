/** /replay: pick a recorded session (or the bundled real sample), compute its replay and scrub through it. */
import { ReplayView } from '../../../components/replay/replay-view';

export const dynamic = 'force-dynamic';

export default function ReplayPage() {
  return <ReplayView />;
}
