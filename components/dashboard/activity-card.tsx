'use client';
/** Event bus activity: rate, totals, stream clients. */
import { formatRate } from '../../lib/format';
import { Card, Stat } from '../ui/card';

export function ActivityCard(props: { eventsPerSec: number; published: number; sseClients: number; badFrames: number }) {
  return (
    <Card title="Activity" testId="activity-card">
      <div className="grid grid-cols-2 gap-4">
        <Stat label="Event rate" value={formatRate(props.eventsPerSec)} testId="event-rate" />
        <Stat label="Events published" value={props.published.toLocaleString('en-US')} testId="events-published" />
        <Stat label="Console streams" value={props.sseClients} />
        <Stat label="Rejected frames" value={props.badFrames} />
      </div>
    </Card>
  );
}
