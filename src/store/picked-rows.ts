import { sql, type Expression, type RawBuilder } from 'kysely';

// Changing a bounded batch of rows picked by a sub-select (`… order by … limit n for update skip locked`).
// Matched as `key in (sub-select)`, PostgreSQL may plan a join that runs the sub-select again for each row it
// changes; every run skips the rows already changed (they no longer qualify) and picks the next ones, so one
// statement changes far more than n rows (a claim of 8 notices took 1,000). Matched by row id against an
// array, the sub-select runs once. The picked rows are locked, so their row ids hold until the statement ends.

/** The sub-select's column: the row id. */
export const rowId = sql<string>`ctid`.as('row_id');

/** `where` condition: the row is one of those the sub-select (selecting `rowId`) picked. */
export const pickedBy = (pick: Expression<unknown>): RawBuilder<boolean> =>
  sql<boolean>`ctid = any(array(${pick}))`;
