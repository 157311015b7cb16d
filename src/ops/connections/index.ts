// What other features and the provisioning engine use of connected systems: items' links and their members'
// propagation, linking inside an item's own change, and the engine's planning, outbox and reconciliation.
export { propagationFor, type PropagationQuestion } from './queries.js';
export { resolveLink, writeLink, type LinkInput, type LinkToWrite } from './link-item.js';
export { planLinkedItems, type PlanMemo } from './plan-items.js';
export {
  leaseOperations,
  nextOperationAt,
  recordOutcomes,
  releaseOperations,
  type Operation,
  type Outcome,
  type RetryPolicy,
} from './apply-operations.js';
export {
  anyConnectionsExist,
  engineConnection,
  finishConnectionSync,
  leaseSyncs,
  linkedRemoteItems,
  nextSyncDue,
  recordDriftReverted,
  recordObservation,
  type DriftToRevert,
  type EngineConnection,
} from './reconcile.js';
