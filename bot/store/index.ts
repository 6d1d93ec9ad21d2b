/** Store module: the embedded database and its repositories, opened together. */
import { AuditLog } from './audit-log';
import { ConfigStore } from './config-store';
import { type Db, openDatabase } from './database';
import { KillSwitchStore } from './kill-switch-store';
import { RecordingStore } from './recording-store';
import { RiskDayStore } from './risk-day-store';
import { RunStore } from './run-store';
import { SqliteExecutionJournal } from './execution-journal';

export interface Store {
  db: Db;
  audit: AuditLog;
  killSwitch: KillSwitchStore;
  /** The risk engine's UTC day (daily-loss figure that survives restarts). */
  riskDays: RiskDayStore;
  runs: RunStore;
  journal: SqliteExecutionJournal;
  /** Configuration versions (the config service's journal). */
  config: ConfigStore;
  /** Index of recorded sessions (the recorder's and importers' directories). */
  recordings: RecordingStore;
  close(): void;
}

export function openStore(file: string): Store {
  const db = openDatabase(file);
  return {
    db,
    audit: new AuditLog(db),
    killSwitch: new KillSwitchStore(db),
    riskDays: new RiskDayStore(db),
    runs: new RunStore(db),
    journal: new SqliteExecutionJournal(db),
    config: new ConfigStore(db),
    recordings: new RecordingStore(db),
    close: () => {
      if (db.open) db.close();
    },
  };
}

export { openDatabase, type Db } from './database';
export { AuditLog, type AuditEntry } from './audit-log';
export { KillSwitchStore, type KillSwitchRecord } from './kill-switch-store';
export { ConfigStore, type ConfigVersionRecord, type ConfigVersionStatus, type ConfigLayersRecord, type ConfigDiffRecord } from './config-store';
export { RiskDayStore, type RiskDayRecord } from './risk-day-store';
export { RecordingStore, type RecordingRecord, type RecordingManifestFields } from './recording-store';
export { SqliteExecutionJournal } from './execution-journal';
