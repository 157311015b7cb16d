// The index's mutable state in one object, so helpers in other files can read it and `clear` can swap it whole.

import { NestingGraph } from './closure.js';
import { GrantTable } from './grant-table.js';
import { NodeTable, UserTable } from './tables.js';

export interface IndexState {
  readonly users: UserTable;
  readonly nodes: NodeTable;
  readonly grants: GrantTable;
  readonly graph: NestingGraph;
}

export function emptyState(): IndexState {
  const users = new UserTable();
  const nodes = new NodeTable();
  const grants = new GrantTable((u) => users.ids[u]!, users.directory);
  return { users, nodes, grants, graph: new NestingGraph(nodes.groups) };
}
