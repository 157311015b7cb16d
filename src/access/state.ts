// The index's mutable state in one object, so helpers in other files can read it.

import type { EdgeFact } from '../domain/access-facts.js';
import { NestingGraph } from './closure.js';
import { GrantTable } from './grant-table.js';
import { NodeTable, UserTable } from './tables.js';

export interface IndexState {
  readonly users: UserTable;
  readonly nodes: NodeTable;
  readonly grants: GrantTable;
  readonly graph: NestingGraph;
  /**
   * Live edges the graph could not hold because they would close a loop with other live edges: a state the
   * store's cycle check never accepts, so only clock skew between processes or a damaged database leads here.
   * They are left out (their access denied) and tried again whenever an edge goes.
   */
  readonly parked: Map<string, EdgeFact>;
}

export function emptyState(): IndexState {
  const users = new UserTable();
  const nodes = new NodeTable();
  const grants = new GrantTable((u) => users.ids[u]!, users.directory);
  return { users, nodes, grants, graph: new NestingGraph(nodes.groups), parked: new Map() };
}
