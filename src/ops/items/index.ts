// What other features use of items: creating a group, with its event, inside their own transaction.
export { insertGroupWithEvent } from './create-group.js';
// Every event about an edge names the edge and both its ends.
export { assetSubjects } from './asset-subjects.js';
