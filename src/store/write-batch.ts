import { sql } from 'kysely';
import type { Db } from './store.js';

interface Job {
  work: (trx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: writes that arrive together share one transaction and so one fsync of
 * the WAL, which is what a durable write costs (about 2 ms here, whatever it writes). Each write
 * runs in a savepoint of its own, so one that fails rolls back alone; each is answered only after
 * the commit that holds it, so nothing is acknowledged before it is on disk.
 */
class WriteBatcher {
  private queue: Job[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  run<T>(work: (trx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current turn of the event loop: every write whose request arrived with it joins.
    setImmediate(() => this.flush());
  }

  private async flush(): Promise<void> {
    const jobs = this.queue.splice(0);
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const job of jobs) {
          await sql`savepoint write`.execute(trx);
          try {
            outcomes.push({ ok: true, value: await job.work(trx) });
          } catch (error) {
            await sql`rollback to write`.execute(trx);
            outcomes.push({ ok: false, value: error });
          }
          await sql`release write`.execute(trx);
        }
      });
      jobs.forEach((job, i) => {
        const outcome = outcomes[i];
        if (outcome?.ok) job.resolve(outcome.value);
        else job.reject(outcome?.value);
      });
    } catch (error) {
      for (const job of jobs) job.reject(error);
    } finally {
      this.scheduled = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

const batchers = new WeakMap<Db, WriteBatcher>();

/** Makes the writes of this database share commits (SQLite: one writer, one fsync per commit). */
export function batchWrites(db: Db): void {
  batchers.set(db, new WriteBatcher(db));
}

/**
 * Runs a write in a transaction of its own (PostgreSQL, whose server does group commit itself) or in
 * the next shared one (SQLite). Either way it has committed when the promise resolves.
 */
export function writeTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  const batcher = batchers.get(db);
  return batcher ? batcher.run(work) : db.transaction().execute(work);
}
