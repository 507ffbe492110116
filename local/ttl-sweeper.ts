// dynalite implements neither UpdateTimeToLive nor expiry, so the stack deletes expired items itself, through
// the DynamoDB API, every interval: one sweep at a time, failures logged and retried at the next interval.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sweepExpired } from './dynamodb.ts';

export interface SweptTable {
  tableName: string;
  /** The table's hash key (the sweep deletes by it). */
  keyName: string;
}

export type SweepLog = (level: 'info' | 'warn', reason: string, fields: Record<string, unknown>) => void;

/** Starts sweeping; returns the function that stops it. */
export function startTtlSweeper(
  client: DynamoDBClient,
  tables: readonly SweptTable[],
  intervalMs: number,
  log: SweepLog,
): () => void {
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    void (async () => {
      for (const table of tables) {
        try {
          const count = await sweepExpired(client, table.tableName, Date.now(), table.keyName);
          if (count > 0) log('info', 'ttl_expired_items_deleted', { tableName: table.tableName, count });
        } catch (err) {
          log('warn', 'ttl_sweep_failed', {
            tableName: table.tableName,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
    })().finally(() => (sweeping = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
