/** /calibration: sweep a strategy's parameter grid over a session, follow its progress, then rank and map the runs. */
import { CalibrationView } from '../../../components/calibration/calibration-view';

export const dynamic = 'force-dynamic';

export default function CalibrationPage() {
  return <CalibrationView />;
}
